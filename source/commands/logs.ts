import {once} from 'node:events';
import type {Connection} from '../cli/connect.js';
import {createProviderLogSource} from '../core/provider-log-source.js';
import {resolveWorkload} from '../core/workloads.js';
import type {LogLine, LogTarget} from '../core/logs.js';
import type {Provider} from '../core/provider.js';
import {ResendFilter} from '../core/resend-filter.js';
import {sanitizeForTerminal, toPlainText} from '../infra/sanitize.js';

export type LogsCommandOptions = {
	target: string;
	follow: boolean;
	sinceMs?: number;
	grep?: RegExp;
	json: boolean;
};

const defaultWindowMs = 30 * 60 * 1000;
const pageSize = 5000;

/**
 * `wheelhouse logs`: the lines of a window, then (with --follow) the live tail, reconnecting on drops
 * without losing or repeating a line. Writes as fast as stdout takes them, and waits when it is full.
 */
export async function runLogsCommand(connection: Connection, options: LogsCommandOptions, stdout: NodeJS.WriteStream, signal: AbortSignal): Promise<number> {
	const target: LogTarget = await resolveWorkload(connection.provider, options.target);
	const since = new Date(Date.now() - (options.sinceMs ?? defaultWindowMs));
	const output = new LineWriter(stdout, line => format(line, options.json, stdout.isTTY === true), options.grep);
	if (options.follow) {
		await follow(connection.provider, target, since, output, signal);
	} else {
		await printWindow(connection.provider, target, since, output, signal);
	}

	await output.drained();
	return 0;
}

async function printWindow(provider: Provider, target: LogTarget, since: Date, output: LineWriter, signal: AbortSignal): Promise<void> {
	const until = new Date();
	const resends = new ResendFilter();
	let from = since;
	for (;;) {
		// Each page starts where the previous one ended.
		const page = await provider.fetchLogs(target, {since: from, until, limit: pageSize, direction: 'forward'});
		resends.resume();
		const {fresh} = resends.admit(page.lines);
		// A full pipe holds the next page back.
		await output.write(fresh);
		const last = page.lines.at(-1);
		if (!page.hasMore || !last || signal.aborted) {
			return;
		}

		// The next page starts at the last line's instant; the filter drops what was already printed.
		from = new Date(last.timestamp);
	}
}

async function follow(provider: Provider, target: LogTarget, since: Date, output: LineWriter, signal: AbortSignal): Promise<void> {
	const source = createProviderLogSource(provider, [target], {since});
	let failure: string | undefined;
	const stopped = new Promise<void>(resolve => {
		signal.addEventListener('abort', () => resolve(), {once: true});
		source.start({
			onLines(lines) {
				void output.write(lines);
			},
			onState(_target, state) {
				if (state.status === 'failed') {
					failure = state.error;
					resolve();
				}
			},
		});
	});
	await stopped;
	source.stop();
	if (failure !== undefined) {
		throw new Error(failure);
	}
}

function format(line: LogLine, json: boolean, terminal: boolean): string {
	if (json) {
		return JSON.stringify({source: line.source, container: line.container, timestamp: line.cursor, text: toPlainText(line.text)});
	}

	return terminal ? `${sanitizeForTerminal(line.text)}\u001B[0m` : toPlainText(line.text);
}

/** Writes lines in order, filtered, respecting the stream's backpressure. */
class LineWriter {
	private chain: Promise<void> = Promise.resolve();

	constructor(private readonly stream: NodeJS.WriteStream, private readonly render: (line: LogLine) => string, private readonly grep: RegExp | undefined) {}

	async write(lines: LogLine[]): Promise<void> {
		const text = lines
			.filter(line => this.grep === undefined || this.grep.test(toPlainText(line.text)))
			.map(line => `${this.render(line)}\n`)
			.join('');
		if (text === '') {
			return this.chain;
		}

		this.chain = this.chain.then(async () => {
			if (!this.stream.write(text)) {
				await once(this.stream, 'drain');
			}
		});
		return this.chain;
	}

	async drained(): Promise<void> {
		await this.chain;
	}
}
