import {ProviderError} from './errors.js';
import type {LogSessionSource} from './log-source.js';
import {compareCursors, LogTail} from './log-tail.js';
import type {LogQuery, LogTarget} from './logs.js';
import type {Provider} from './provider.js';

export type ProviderLogSourceOptions = {
	/** Where the live tails start; the platform's recent backlog when absent. */
	since?: Date;
	filter?: LogQuery['filter'];
	initialBackoffMs?: number;
	maxBackoffMs?: number;
};

/** Live, reconnecting tails of one or more targets from a provider, with their history on demand. */
export function createProviderLogSource(provider: Provider, targets: LogTarget[], options: ProviderLogSourceOptions = {}): LogSessionSource {
	let tails: LogTail[] = [];
	return {
		targets,
		start(handlers) {
			tails = targets.map(target => {
				const tail = new LogTail((from, raw) => provider.openLogTail(target, {...from, filter: options.filter}, raw), {
					since: options.since,
					initialBackoffMs: options.initialBackoffMs,
					maxBackoffMs: options.maxBackoffMs,
					onLines: handlers.onLines,
					onState: state => {
						handlers.onState(target, state);
					},
					isFatal: error => error instanceof ProviderError && (error.kind === 'auth' || error.kind === 'forbidden' || error.kind === 'not-found'),
				});
				tail.start();
				return tail;
			});
		},
		stop() {
			for (const tail of tails) {
				tail.stop();
			}

			tails = [];
		},
		async fetchOlder(target, before, limit) {
			const page = await provider.fetchLogs(target, {until: before, limit, direction: 'backward', filter: options.filter});
			// Backward queries answer newest first; views want oldest first.
			const lines = [...page.lines].sort((a, b) => compareCursors(a.cursor, b.cursor));
			return {lines, hasMore: page.hasMore};
		},
	};
}
