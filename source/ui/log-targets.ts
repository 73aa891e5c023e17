// Which log streams the dashboard's selection stands for, and how a view of them is named.
import type {LogTarget} from '../core/logs.js';
import type {DashboardModel} from './dashboard-model.js';
import type {PaneId, UiState} from './ui-state.js';

export type TargetChoice = {targets: LogTarget[]} | {problem: string};

function targetOf(model: DashboardModel, pane: PaneId, id: string): LogTarget | undefined {
	switch (pane) {
		case 'services': {
			const service = model.services.all.find(row => row.id === id);
			return service && {kind: 'service', id: service.id, name: service.name};
		}

		case 'builds': {
			const build = model.builds.all.find(row => row.id === id);
			const service = model.selectedService;
			return build && service && {kind: 'build', id: build.id, name: build.id, serviceId: service.id};
		}

		case 'addons': {
			const addon = model.addons.all.find(row => row.id === id);
			return addon && {kind: 'addon', id: addon.id, name: addon.name};
		}

		case 'jobs': {
			const job = model.jobs.all.find(row => row.id === id);
			return job && {kind: 'job', id: job.id, name: job.name, runId: job.lastRun?.id};
		}
	}
}

/** The item a detail view shows, or the selected row of the focused pane. */
export function selectedLogTargets(model: DashboardModel, ui: UiState): TargetChoice {
	const [pane, id] = ui.view.kind === 'detail'
		? [ui.view.pane, ui.view.id]
		: [ui.focus, model[ui.focus].selected?.id];
	const target = id === undefined ? undefined : targetOf(model, pane, id);
	return target ? {targets: [target]} : {problem: `Select a row in ${pane} first.`};
}

export function allServiceTargets(model: DashboardModel): TargetChoice {
	const targets = model.services.all.map((service): LogTarget => ({kind: 'service', id: service.id, name: service.name}));
	return targets.length > 0 ? {targets} : {problem: 'There are no services to show logs of.'};
}

/** `notechondria-backend`, `build joyous-view-6290`, `job notechondria-migrate (run abc)`, `2 services: a, b`. */
export function targetsTitle(targets: readonly LogTarget[]): string {
	const [only] = targets;
	if (targets.length !== 1 || !only) {
		return `${targets.length} ${targets.every(target => target.kind === 'service') ? 'services' : 'streams'}: ${targets.map(target => target.name).join(', ')}`;
	}

	switch (only.kind) {
		case 'service': {
			return only.name;
		}

		case 'build': {
			return `build ${only.name}`;
		}

		case 'job': {
			return only.runId ? `job ${only.name} (run ${only.runId})` : `job ${only.name} (latest run)`;
		}

		case 'addon': {
			return `addon ${only.name}`;
		}
	}
}

const slug = (text: string): string => text.replaceAll(/[^\w.-]+/g, '-').replaceAll(/^-+|-+$/g, '') || 'logs';

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** `./wheelhouse-notechondria-backend-20261122-031240.log` */
export function defaultSavePath(targets: readonly LogTarget[], now: Date): string {
	const [only] = targets;
	const name = targets.length === 1 && only ? slug(only.name) : 'merged';
	const stamp = `${now.getFullYear()}${twoDigits(now.getMonth() + 1)}${twoDigits(now.getDate())}-${twoDigits(now.getHours())}${twoDigits(now.getMinutes())}${twoDigits(now.getSeconds())}`;
	return `./wheelhouse-${name}-${stamp}.log`;
}
