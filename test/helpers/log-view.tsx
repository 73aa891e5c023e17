import type {LogLine} from '../../source/core/logs.js';
import type {FakeLogSource} from './fake-log-source.js';
import {type AppUnderTest, renderApp} from './render-app.js';

export type LogViewUnderTest = AppUnderTest & {logs: FakeLogSource};

/**
 * The console with a fake log source, its log viewer opened with `keys` (default `l`: the selected
 * service), the stream live, and `lines` delivered and on screen.
 */
export async function openLogView(options: Parameters<typeof renderApp>[0] & {keys?: string[]; lines?: LogLine[]} = {}): Promise<LogViewUnderTest> {
	const app = await renderApp({...options, logs: options.logs ?? true});
	await app.harness.press(...(options.keys ?? ['l']));
	const logs = app.logSources.at(-1);
	if (!logs) {
		throw new Error(`No log view opened; the screen shows:\n${app.harness.frame()}`);
	}

	logs.state({status: 'live'});
	if (options.lines && options.lines.length > 0) {
		logs.emit(options.lines);
	}

	await app.harness.waitFor(/● (\d+ )?live/);
	await settleLogs(app);
	return {...app, logs};
}

/** Waits for the store's next tick to reach the screen. */
export async function settleLogs(app: AppUnderTest): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, 40);
	});
	await app.harness.settle();
}

/** The log rows on screen: between the title line (row 1) and the status line. */
export function logRows(app: AppUnderTest): string[] {
	return app.harness.lines().slice(2, -2);
}

export function statusRow(app: AppUnderTest): string {
	return app.harness.lines().at(-2) ?? '';
}

export function titleRow(app: AppUnderTest): string {
	return app.harness.lines()[1] ?? '';
}
