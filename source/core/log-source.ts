import type {LogLine, LogPage, LogTarget, TailState} from './logs.js';

/**
 * Where a log view's lines come from: live tails of one or more targets (several for a merged view)
 * and their older history, page by page. The provider-backed implementation is createProviderLogSource
 * (core/provider-log-source.ts); tests use fakes.
 */
export type LogSessionSource = {
	readonly targets: LogTarget[];
	/** Starts the live tails. Lines of every target arrive through onLines, each tagged with its source. */
	start(handlers: {onLines(lines: LogLine[]): void; onState(target: LogTarget, state: TailState): void}): void;
	stop(): void;
	/** Lines of `target` older than `before`, newest last, at most `limit`. */
	fetchOlder(target: LogTarget, before: Date, limit: number): Promise<LogPage>;
};
