// The log view that is open, if any: its store (the lines, outside React) and its filter/search
// query. One at a time; opening another or leaving the viewer stops the tail.
import {LogQuery} from '../core/log-index.js';
import type {LogSessionSource} from '../core/log-source.js';
import {LogStore, type LogStoreOptions} from '../core/log-store.js';
import type {LogTarget} from '../core/logs.js';

/** Supplied by whoever owns the provider: a live source for these targets (several for a merged view). */
export type OpenLogs = (targets: LogTarget[]) => LogSessionSource;

export type LogSession = {store: LogStore; query: LogQuery};

export class LogSessions {
	private session: LogSession | undefined;

	constructor(private readonly options: LogStoreOptions = {}) {}

	get current(): LogSession | undefined {
		return this.session;
	}

	open(source: LogSessionSource): LogSession {
		this.close();
		const store = new LogStore(source, this.options);
		this.session = {store, query: new LogQuery(store)};
		store.start();
		return this.session;
	}

	close(): void {
		this.session?.store.stop();
		this.session = undefined;
	}
}
