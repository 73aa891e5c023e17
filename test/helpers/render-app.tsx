import type {ExecTarget} from '../../source/core/exec.js';
import type {LiveState} from '../../source/core/live-state.js';
import type {LogStoreOptions} from '../../source/core/log-store.js';
import type {LogTarget} from '../../source/core/logs.js';
import {App} from '../../source/ui/app.js';
import type {DashboardActions, DashboardContext, OpenShell} from '../../source/ui/app.js';
import {createFakeExecSession, type FakeExecSession} from './fake-exec-session.js';
import {createFakeLiveSource, type FakeLiveSource} from './fake-live-source.js';
import {createFakeLogSource, type FakeLogSource} from './fake-log-source.js';
import {createManualClock, type ManualClock} from './manual-clock.js';
import {type Harness, renderHarness} from './render-harness.js';
import {seedLiveState, seedNow} from './seed-snapshot.js';

export const sandboxContext: DashboardContext = {name: 'notechondria-sandbox', sandbox: true, platform: 'northflank'};

export type RecordingActions = DashboardActions & {calls: Array<{action: 'startBuild' | 'restartService'; serviceId: string}>};

/** Actions that record their calls; `fail` makes them reject with that message. */
export function recordingActions(options: {fail?: string} = {}): RecordingActions {
	const calls: RecordingActions['calls'] = [];
	const act = (action: 'startBuild' | 'restartService') => async (serviceId: string) => {
		calls.push({action, serviceId});
		if (options.fail) {
			throw new Error(options.fail);
		}
	};

	return {calls, startBuild: act('startBuild'), restartService: act('restartService')};
}

export type AppUnderTest = {
	harness: Harness;
	source: FakeLiveSource;
	clock: ManualClock;
	quits: () => number;
	/** Log sessions the console opened, newest last (only with `logs`). */
	logSources: FakeLogSource[];
	/** What `openShell` was asked for, and the fake sessions it gave (only with `shell`). */
	shells: ShellRecord;
};

export type ShellRecord = {
	calls: Array<{target: ExecTarget; size: {columns: number; rows: number}}>;
	sessions: FakeExecSession[];
};

/** `openShell` that records its calls and answers with a fake session, or with what `answer` gives. */
export function recordingOpenShell(answer?: OpenShell): {openShell: OpenShell} & ShellRecord {
	const record: ShellRecord = {calls: [], sessions: []};
	const openShell: OpenShell = async (target, size) => {
		record.calls.push({target, size});
		const session = answer ? await answer(target, size) : createFakeExecSession(target);
		record.sessions.push(session as FakeExecSession);
		return session;
	};

	return {openShell, ...record};
}

/** The whole console on seed-like data, at a fixed size, with a manual clock. */
export async function renderApp(options: {
	columns?: number;
	rows?: number;
	state?: Partial<LiveState>;
	context?: DashboardContext;
	actions?: DashboardActions;
	/** Give the console a log source (fakes, recorded in logSources); `history` answers fetchOlder. */
	logs?: boolean | {history?: Parameters<typeof createFakeLogSource>[1]; options?: LogStoreOptions};
	/** Give the console `openShell`: fake echoing sessions (recorded in shells), or what this one answers. */
	shell?: boolean | OpenShell;
} = {}): Promise<AppUnderTest> {
	const source = createFakeLiveSource(options.state ?? seedLiveState());
	const clock = createManualClock(seedNow);
	let quits = 0;
	const logSources: FakeLogSource[] = [];
	const logs = options.logs === true ? {} : options.logs;
	const openLogs = logs && ((targets: LogTarget[]) => {
		const fake = createFakeLogSource(targets, logs.history);
		logSources.push(fake);
		return fake;
	});
	const shells = recordingOpenShell(typeof options.shell === 'function' ? options.shell : undefined);
	const harness = renderHarness(
		<App
			source={source}
			context={options.context ?? sandboxContext}
			actions={options.actions}
			openLogs={openLogs || undefined}
			logOptions={logs ? {frameMs: 20, ...logs.options} : undefined}
			openShell={options.shell ? shells.openShell : undefined}
			clock={clock}
			onQuit={() => {
				quits++;
			}}
		/>,
		{columns: options.columns, rows: options.rows},
	);
	await harness.settle();
	return {harness, source, clock, quits: () => quits, logSources, shells: {calls: shells.calls, sessions: shells.sessions}};
}

/**
 * Why the frame does not fit the terminal, or undefined when it does: the header must still be on
 * the first row (nothing scrolled off), the key hints on the last, and no line may have wrapped.
 */
export function fitProblem(harness: Harness, header: string, footer = 'quit'): string | undefined {
	const lines = harness.lines();
	if (!lines[0]?.includes(header)) {
		return `the first row is not the header: ${lines[0]}`;
	}

	if (!lines.at(-1)?.includes(footer)) {
		return `the last row is not the key hints: ${lines.at(-1)}`;
	}

	const wrapped = harness.wrappedRows();
	return wrapped.length > 0 ? `rows ${wrapped.join(', ')} wrapped:\n${harness.frame()}` : undefined;
}
