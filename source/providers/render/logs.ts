// Render's logs: `GET /logs` (time-paged) and the `/logs/subscribe` WebSocket, whose frames are one
// log entry each. A resumed subscription starts at the last timestamp seen, so Render sends some lines
// again; they are recognised by their log `id` and dropped.
import WebSocket from 'ws';
import {ProviderError} from '../../core/errors.js';
import type {LogLine, LogQuery, LogTarget, RawTail, RawTailHandlers} from '../../core/logs.js';
import {compareCursors} from '../../core/resend-filter.js';
import {toDate} from './map.js';
import type {WireLogEntry} from './wire.js';

/** Render caps a page at 100 lines. */
export const maxLogPage = 100;

/** Which `resource` (and `type`) a console log target is on Render. */
export function logResource(target: LogTarget): Record<string, string> {
	switch (target.kind) {
		case 'service':
		case 'addon': {
			return {resource: target.id};
		}

		case 'job': {
			// A one-off job's lines are its own resource; the "job" is the service that runs them.
			return {resource: target.runId ?? target.id};
		}

		case 'build': {
			return {resource: target.serviceId, type: 'build'};
		}
	}
}

export function toLogLine(entry: WireLogEntry, source: string): LogLine {
	const label = (name: string) => entry.labels?.find(candidate => candidate.name === name)?.value;
	return {
		source,
		container: label('instance') ?? label('resource') ?? '',
		timestamp: toDate(entry.timestamp)?.getTime() ?? 0,
		cursor: entry.timestamp,
		text: entry.message,
	};
}

/** Render's `text` filter only includes; a regex or an exclusion is applied here to what comes back. */
export function localFilter(filter: LogQuery['filter']): (text: string) => boolean {
	if (!filter) {
		return () => true;
	}

	const pattern = filter.regex ? new RegExp(filter.pattern) : undefined;
	const matches = (text: string) => pattern ? pattern.test(text) : text.includes(filter.pattern);
	return text => matches(text) !== filter.exclude;
}

/** Log ids already delivered for one target, across reconnects (bounded: the newest 50,000). */
export class LogIdFilter {
	private readonly seen = new Set<string>();
	private resumeFrom: string | undefined;
	dropped = 0;

	constructor(private readonly capacity = 50_000) {}

	/** A new connection starts at `cursor`: lines older than it are resends too. */
	resume(cursor: string | undefined): void {
		this.resumeFrom = cursor;
	}

	admit(entry: WireLogEntry): boolean {
		if (this.seen.has(entry.id) || (this.resumeFrom !== undefined && compareCursors(entry.timestamp, this.resumeFrom) < 0)) {
			this.dropped += 1;
			return false;
		}

		this.seen.add(entry.id);
		if (this.seen.size > this.capacity) {
			this.seen.delete(this.seen.values().next().value!);
		}

		return true;
	}
}

/**
 * One `/logs/subscribe` connection: the API key goes in the handshake's Authorization header, each
 * text frame is one log entry. Reconnecting is LogTail's job; this reports what happened.
 */
export function openSubscribeSocket(options: {url: string; apiKey: string; source: string; platformName: string; ids: LogIdFilter; keep: (text: string) => boolean}, handlers: RawTailHandlers): RawTail {
	const {platformName} = options;
	const socket = new WebSocket(options.url, {headers: {authorization: `Bearer ${options.apiKey}`}});
	let finished = false;
	const finish = (error?: Error) => {
		if (!finished) {
			finished = true;
			handlers.onClose(error);
		}
	};

	socket.on('open', () => {
		handlers.onOpen();
	});
	socket.on('unexpected-response', (_request, response) => {
		const status = response.statusCode ?? 0;
		response.resume();
		const kind = status === 401 ? 'auth' : (status === 429 ? 'rate-limited' : (status === 404 ? 'not-found' : (status >= 500 ? 'server' : 'bad-request')));
		finish(new ProviderError(kind, `${platformName} refused the log stream (${status}).`, {status, ...(status === 401 ? {hint: 'Check the Render API key (RENDER_API_KEY).'} : {})}));
		socket.terminate();
	});
	socket.on('message', (data, isBinary) => {
		let entry: WireLogEntry;
		try {
			entry = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : (data as Buffer).toString('utf8')) as WireLogEntry;
		} catch {
			finish(new ProviderError('protocol', `${platformName} sent a log frame that is not JSON.`));
			socket.terminate();
			return;
		}

		if (typeof entry.id !== 'string' || typeof entry.timestamp !== 'string' || !options.ids.admit(entry)) {
			return;
		}

		if (options.keep(entry.message)) {
			handlers.onLines([toLogLine(entry, options.source)]);
		}
	});
	socket.on('error', () => {
		finish(new ProviderError('unreachable', `The log stream from ${platformName} broke.`));
	});
	socket.on('close', code => {
		finish(code === 1000 || code === 1005 ? undefined : new ProviderError('unreachable', `The log stream from ${platformName} closed (${code}).`));
	});
	return {
		close() {
			finished = true;
			socket.close();
		},
	};
}
