import {ProviderError} from '../../core/errors.js';
import type {LogLine, LogPage, LogQuery, LogTarget, RawTail, RawTailHandlers} from '../../core/logs.js';
import {toDate} from './map.js';
import type {Envelope} from './wire.js';

export type WireLogLine = {containerId?: string; log?: string; ts?: string};

/** Northflank's log endpoints: `<entity>/logs`, or `services/{id}/build-logs` for build containers. */
export function logPath(target: LogTarget): {path: string; parameters: Record<string, string>} {
	const id = encodeURIComponent(target.id);
	switch (target.kind) {
		case 'service': {
			return {path: `services/${id}/logs`, parameters: {}};
		}

		case 'job': {
			return {path: `jobs/${id}/logs`, parameters: target.runId ? {runId: target.runId} : {}};
		}

		case 'build': {
			return {path: `services/${encodeURIComponent(target.serviceId)}/build-logs`, parameters: {buildId: target.id}};
		}

		case 'addon': {
			return {path: `addons/${id}/logs`, parameters: {}};
		}
	}
}

const criPrefix = /^\S+ (?:stdout|stderr) [FP] /;

/** A line as Northflank sends it: `log` carries the container runtime's `<ts> stdout F ` prefix. */
export function toLogLine(wire: WireLogLine, source: string): LogLine | undefined {
	if (wire.ts === undefined || wire.log === undefined) {
		return undefined;
	}

	return {
		source,
		container: wire.containerId ?? '',
		timestamp: toDate(wire.ts)?.getTime() ?? 0,
		cursor: wire.ts,
		text: wire.log.replace(criPrefix, ''),
	};
}

export function filterParameters(filter: LogQuery['filter']): Record<string, string> {
	if (!filter) {
		return {};
	}

	const name = `${filter.regex ? 'regex' : 'text'}${filter.exclude ? 'NotIncludes' : 'Includes'}`;
	return {[name]: filter.pattern};
}

export function rangeParameters(query: LogQuery): Record<string, string | number | undefined> {
	return {
		queryType: 'range',
		startTime: query.since?.toISOString(),
		endTime: query.until?.toISOString(),
		lineLimit: query.limit,
		direction: query.direction,
		...filterParameters(query.filter),
	};
}

export function toLogPage(response: Envelope<WireLogLine[]>, source: string): LogPage {
	const lines: LogLine[] = [];
	for (const wire of response.data ?? []) {
		const line = toLogLine(wire, source);
		if (line) {
			lines.push(line);
		}
	}

	return {lines, hasMore: response.pagination?.hasNextPage === true};
}

type TailFrame =
	| {type: 'init'; data?: {auth?: string; message?: string}}
	| {type: 'log-lines'; data?: WireLogLine[]}
	| {type: 'error'; data?: {message?: string}};

/**
 * One live-tail WebSocket (§3 of the reference): no auth header; the first frame carries the token;
 * `log-lines` batches follow. The caller (LogTail) reconnects; this only reports what happened.
 */
export function openTailSocket(url: string, token: string, source: string, handlers: RawTailHandlers, platformName: string): RawTail {
	const socket = new WebSocket(url);
	let finished = false;
	const finish = (error?: Error) => {
		if (!finished) {
			finished = true;
			handlers.onClose(error);
		}
	};

	socket.addEventListener('open', () => {
		socket.send(JSON.stringify({type: 'init', data: {auth: {type: 'apiToken', apiToken: token}}}));
	});
	socket.addEventListener('message', event => {
		let frame: TailFrame;
		try {
			frame = JSON.parse(typeof event.data === 'string' ? event.data : Buffer.from(event.data as ArrayBuffer).toString('utf8')) as TailFrame;
		} catch {
			finish(new ProviderError('protocol', `${platformName} sent a log frame that is not JSON.`));
			socket.close();
			return;
		}

		if (frame.type === 'init') {
			if (frame.data?.auth === 'successful') {
				handlers.onOpen();
			} else {
				finish(new ProviderError('auth', `${platformName} refused the log stream: ${frame.data?.message ?? frame.data?.auth ?? 'authentication failed'}.`, {hint: 'Check the API token of this context.'}));
				socket.close();
			}
		} else if (frame.type === 'log-lines') {
			const lines: LogLine[] = [];
			for (const wire of frame.data ?? []) {
				const line = toLogLine(wire, source);
				if (line) {
					lines.push(line);
				}
			}

			handlers.onLines(lines);
		} else if (frame.type === 'error') {
			finish(new ProviderError('server', `${platformName} log stream error: ${frame.data?.message ?? 'unknown'}.`));
			socket.close();
		}
	});
	socket.addEventListener('error', () => {
		finish(new ProviderError('unreachable', `The log stream from ${platformName} broke.`));
	});
	socket.addEventListener('close', event => {
		finish(event.code === 1000 || event.code === 1005 ? undefined : new ProviderError('unreachable', `The log stream from ${platformName} closed (${event.code}).`));
	});
	return {
		close() {
			finished = true;
			socket.close();
		},
	};
}
