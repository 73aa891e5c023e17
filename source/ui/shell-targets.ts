// Which workload a shell opens in for the current selection, and whether to ask which container.
import type {ExecResult, ExecSession, ExecTarget} from '../core/exec.js';
import type {Container} from '../core/types.js';
import type {DashboardContext} from './dashboard-props.js';
import type {DashboardModel} from './dashboard-model.js';
import {type PaneId, paneTitles, type ShellWorkload, type StatusMessage, type UiState} from './ui-state.js';

export type ShellChoice =
	| {target: ExecTarget; label: string}
	| {choose: ShellWorkload; containers: Container[]}
	| {problem: string};

type Found = {workload: ShellWorkload; containers: Container[]};

function workloadOf(model: DashboardModel, pane: Exclude<PaneId, 'builds'>, id: string): Found | undefined {
	switch (pane) {
		case 'services': {
			const service = model.services.all.find(row => row.id === id);
			return service && {workload: {kind: 'service', id: service.id, name: service.name}, containers: service.containers};
		}

		case 'jobs': {
			const job = model.jobs.all.find(row => row.id === id);
			return job && {workload: {kind: 'job', id: job.id, name: job.name}, containers: []};
		}

		case 'addons': {
			const addon = model.addons.all.find(row => row.id === id);
			return addon && {workload: {kind: 'addon', id: addon.id, name: addon.name}, containers: []};
		}
	}
}

const paneOfKind = {service: 'services', job: 'jobs', addon: 'addons'} as const;

/** The open log view's one service, job or addon; else the detail view's item; else the focused pane's selected row. */
function selection(model: DashboardModel, ui: UiState): [PaneId, string | undefined] {
	if (ui.view.kind === 'logs') {
		const [only, ...more] = ui.view.logs.targets;
		if (only && more.length === 0 && only.kind !== 'build') {
			return [paneOfKind[only.kind], only.id];
		}
	}

	return ui.view.kind === 'detail' ? [ui.view.pane, ui.view.id] : [ui.focus, model[ui.focus].selected?.id];
}

/**
 * Where `s` opens a shell. Several running containers: ask which (the platform would pick one at
 * random). One: that one. None known: let the platform say whether the workload runs.
 */
export function selectedShellTarget(model: DashboardModel, ui: UiState): ShellChoice {
	const [pane, id] = selection(model, ui);
	if (pane === 'builds') {
		return {problem: 'A build has no shell: select a service, job or addon.'};
	}

	const found = id === undefined ? undefined : workloadOf(model, pane, id);
	if (!found) {
		return {problem: `Select a row in ${paneTitles[pane]} first.`};
	}

	const running = found.containers.filter(container => container.status === 'running');
	if (running.length > 1) {
		return {choose: found.workload, containers: running};
	}

	return shellTarget(found.workload, running[0]);
}

export function shellTarget(workload: ShellWorkload, container?: Container): {target: ExecTarget; label: string} {
	return container
		? {target: {...workload, instance: container.name}, label: container.name}
		: {target: {...workload}, label: workload.name};
}

/**
 * Where the platform says the shell runs: the instance (with the container when it is not the one
 * the instance is named after, a sidecar), the host, else what was asked for.
 */
export function whereLabel(where: ExecSession['where'], fallback: string): string {
	const {instance, container, host} = where;
	if (instance) {
		return container && !instance.startsWith(container) ? `${instance}/${container}` : instance;
	}

	return container ?? host ?? fallback;
}

/** What the terminal shows first once the console has stepped aside: where the shell runs, and how to come back. */
export function shellBanner(where: string, context: DashboardContext, detachKeyLabel: string): string {
	const sandbox = context.sandbox ? ' (SANDBOX: a local shell standing in for the container)' : '';
	return `wheelhouse: shell in ${where} on ${context.name}${sandbox}\r\n`
		+ `wheelhouse: exit returns to the console; ${detachKeyLabel} leaves at once`;
}

/** How a shell ended, in words: `shell in X exited 3`, or why it ended without a status. */
export function shellEnding(where: string, result: ExecResult): string {
	return result.status === 'unknown' && result.message
		? `shell in ${where} ended: ${result.message}`
		: `shell in ${where} exited ${result.exitCode}`;
}

/** The status line once the console is back: how the shell ended, non-zero in red. */
export function shellOutcome(where: string, result: ExecResult): StatusMessage {
	const ending = shellEnding(where, result);
	if (result.status === 'unknown' && result.message) {
		return {tone: 'warn', text: `▲ ${ending}`};
	}

	return result.exitCode === 0 ? {tone: 'good', text: `✔ ${ending}`} : {tone: 'bad', text: `✖ ${ending}`};
}
