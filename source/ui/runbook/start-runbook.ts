// `:release`, `:rollback`, `:backup` on the dashboard: what the runbook is about, then the screen.
import type {Dispatch} from 'react';
import type {PaletteRunbook} from '../commands.js';
import type {DashboardModel} from '../dashboard-model.js';
import type {UiAction} from '../ui-state.js';
import {plain} from './plain-text.js';
import type {RunbookRequest, ScreenLinks} from './run-source.js';

/** The request for the selected service (release, rollback) or addon (backup), or why there is none. */
export function runbookRequest(kind: PaletteRunbook, model: DashboardModel): {request: RunbookRequest} | {problem: string} {
	if (kind === 'backup') {
		const addon = model.addons.selected;
		return addon
			? {request: {kind, addon: {id: addon.id, name: addon.name}}}
			: {problem: 'No addon to back up: select one in the Addons pane first.'};
	}

	const service = model.selectedService;
	return service
		? {request: {kind, service: {id: service.id, name: service.name}}}
		: {problem: `Select a service to ${kind === 'release' ? 'release' : 'roll back'} first.`};
}

const describe = (error: unknown): string => plain(error instanceof Error ? error.message : String(error));

/** Opens the runbook's screen; what went wrong before it could start is said on the status line. */
export function startRunbook(kind: PaletteRunbook, model: DashboardModel, links: ScreenLinks, dispatch: Dispatch<UiAction>): void {
	if (!links.openRunbook) {
		return;
	}

	const choice = runbookRequest(kind, model);
	if ('problem' in choice) {
		dispatch({type: 'status', status: {tone: 'warn', text: choice.problem}});
		return;
	}

	dispatch({type: 'status', status: {tone: 'busy', text: `starting the ${kind}…`}});
	links.openRunbook(choice.request).then(
		() => {
			dispatch({type: 'status', status: undefined});
		},
		(error: unknown) => {
			dispatch({type: 'status', status: {tone: 'bad', text: `Could not start the ${kind}: ${describe(error)}`}});
		},
	);
}
