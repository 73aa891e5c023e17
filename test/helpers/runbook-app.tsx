// The whole console with the runbook and history screens: a fake run source behind `:release`,
// `:rollback` and `:backup`, and journals behind `:history`.
import type {Journal} from '../../source/runbooks/types.js';
import {App} from '../../source/ui/app.js';
import type {RunbookRequest} from '../../source/ui/runbook/run-source.js';
import {createFakeLiveSource} from './fake-live-source.js';
import {createFakeRunSource, type FakeRunSource} from './fake-run-source.js';
import {createManualClock, type ManualClock} from './manual-clock.js';
import {recordingActions, sandboxContext} from './render-app.js';
import {type Harness, renderHarness} from './render-harness.js';
import {seedLiveState, seedNow} from './seed-snapshot.js';

export type RunbookAppUnderTest = {
	harness: Harness;
	clock: ManualClock;
	/** What the console asked to start, and the fake runs it got. */
	requests: RunbookRequest[];
	runs: FakeRunSource[];
	quits: () => number;
};

export async function renderRunbookApp(options: {
	columns?: number;
	rows?: number;
	/** Without actions the context is read-only. */
	readOnly?: boolean;
	/** The run `openRunbook` answers with (a fresh release by default), or an error to refuse with. */
	run?: () => FakeRunSource;
	refuse?: string;
	/** Journals for `:history`; a string makes listRuns reject with it. */
	journals?: Journal[] | string;
	frameMs?: number;
} = {}): Promise<RunbookAppUnderTest> {
	const source = createFakeLiveSource(seedLiveState());
	const clock = createManualClock(seedNow);
	const requests: RunbookRequest[] = [];
	const runs: FakeRunSource[] = [];
	let quits = 0;
	const harness = renderHarness(
		<App
			source={source}
			context={sandboxContext}
			actions={options.readOnly ? undefined : recordingActions()}
			openRunbook={async request => {
				requests.push(request);
				if (options.refuse) {
					throw new Error(options.refuse);
				}

				const run = options.run?.() ?? createFakeRunSource();
				runs.push(run);
				return run;
			}}
			listRuns={async () => {
				if (typeof options.journals === 'string') {
					throw new TypeError(options.journals);
				}

				return options.journals ?? [];
			}}
			runbookFrameMs={options.frameMs ?? 20}
			clock={clock}
			onQuit={() => {
				quits++;
			}}
		/>,
		{columns: options.columns, rows: options.rows},
	);
	await harness.settle();
	return {harness, clock, requests, runs, quits: () => quits};
}

/** Runs a palette command (`release`, `history`) as a user would: `:`, the name, enter. */
export async function paletteRun(harness: Harness, command: string): Promise<void> {
	await harness.press(':');
	await harness.type(command);
	await harness.press('enter');
}

/** Starts a release from the dashboard and waits for its screen. */
export async function openRelease(app: RunbookAppUnderTest): Promise<FakeRunSource> {
	await paletteRun(app.harness, 'release');
	await app.harness.waitFor('━ Plan · ', patience);
	const run = app.runs.at(-1);
	if (!run) {
		throw new Error('no run was started');
	}

	return run;
}

/**
 * Why the frame does not fit the terminal, or undefined: the header on the first row, the key
 * hints on the last, and no line wider than the terminal.
 */
export function runbookFitProblem(harness: Harness, header: string, footer: string): string | undefined {
	const lines = harness.lines();
	if (!lines[0]?.includes(header)) {
		return `the first row is not the header: ${lines[0]}\n${harness.frame()}`;
	}

	if (!lines.at(-1)?.includes(footer)) {
		return `the last row is not the key hints: ${lines.at(-1)}\n${harness.frame()}`;
	}

	const wrapped = harness.wrappedRows();
	return wrapped.length > 0 ? `rows ${wrapped.join(', ')} wrapped:\n${harness.frame()}` : undefined;
}

/** How long a test waits for the screen to show something: generous, as the tests share two cores. */
export const patience = 15_000;
