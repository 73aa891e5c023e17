import process from 'node:process';
import {render} from 'ink';
import type {LiveSource} from '../core/live-state.js';
import {App} from './app.js';
import type {Clock} from './clock.js';
import type {DashboardActions, DashboardContext} from './dashboard-props.js';
import type {OpenLogs} from './log-session.js';
import type {ListRuns, OpenRunbook} from './runbook/run-source.js';
import type {OpenShell} from './shell-launcher.js';
import {
	assertFullScreenTerminal, fullScreenRenderOptions, restoreTerminal, type TerminalStreams,
} from './terminal.js';

export type RenderDashboardOptions = {
	source: LiveSource;
	context: DashboardContext;
	/** Absent in read-only mode. */
	actions?: DashboardActions;
	/** Live logs of targets for the log viewer; absent, the viewer and its keys do not exist. */
	openLogs?: OpenLogs;
	/** Connects a shell (`s`, `:shell`); absent, the shell key and command do not exist. */
	openShell?: OpenShell;
	/** Starts runbooks (`:release`, `:rollback`, `:backup`); leave it out in read-only contexts. */
	openRunbook?: OpenRunbook;
	/** Journals of past runs for `:history`; absent, the command does not exist. */
	listRuns?: ListRuns;
	/** No context exists: `S` closes the console so the guided setup can run. */
	onSetup?: () => void;
	/** Defaults to the process's own streams. */
	streams?: Partial<TerminalStreams>;
	clock?: Clock;
	/** Aborting closes the console and gives the terminal back, as quitting does. */
	signal?: AbortSignal;
};

/**
 * Runs the full-screen console until the user quits, then gives the terminal back as it was.
 * Starts the live source before the first frame and stops it on the way out.
 * Throws a UsageError when stdin/stdout are not an interactive terminal.
 */
export async function renderDashboard(options: RenderDashboardOptions): Promise<void> {
	const streams: TerminalStreams = {
		stdin: options.streams?.stdin ?? process.stdin,
		stdout: options.streams?.stdout ?? process.stdout,
		stderr: options.streams?.stderr ?? process.stderr,
	};
	assertFullScreenTerminal(streams);

	options.source.start();
	try {
		const instance = render(
			<App source={options.source} context={options.context} actions={options.actions} openLogs={options.openLogs} openShell={options.openShell} openRunbook={options.openRunbook} listRuns={options.listRuns} onSetup={options.onSetup} clock={options.clock}/>,
			fullScreenRenderOptions(streams),
		);
		const close = () => {
			instance.unmount();
		};

		options.signal?.addEventListener('abort', close, {once: true});
		try {
			await instance.waitUntilExit();
		} finally {
			options.signal?.removeEventListener('abort', close);
			instance.cleanup();
		}
	} catch (error) {
		restoreTerminal(streams);
		throw error;
	} finally {
		options.source.stop();
	}
}
