// `docker compose logs --timestamps --no-color`: each line is `<container>  | <RFC3339Nano> <text>`.
import type {ClientChannel} from 'ssh2';
import type {LogLine, LogQuery} from '../../core/logs.js';

const logLine = /^(\S+)\s+\| (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))(?: (.*))?$/;

/** One line of Compose's prefixed, timestamped log output; undefined for anything else. */
export function parseLogLine(text: string, source: string): LogLine | undefined {
	const match = logLine.exec(text.endsWith('\r') ? text.slice(0, -1) : text);
	if (!match) {
		return undefined;
	}

	const [, container, cursor, body] = match;
	return {source, container: container!, timestamp: Date.parse(cursor!), cursor: cursor!, text: body ?? ''};
}

/** The flags of `docker compose logs` for a window of time (range) or a follow from a point (tail). */
export function logsArguments(service: string, options: {follow: boolean; since?: string; until?: Date; tail?: number}): string[] {
	return [
		'logs', '--timestamps', '--no-color',
		...(options.follow ? ['--follow'] : []),
		...(options.since ? ['--since', options.since] : []),
		...(options.until ? ['--until', options.until.toISOString()] : []),
		...(options.tail === undefined ? [] : ['--tail', String(options.tail)]),
		service,
	];
}

/** The platform-side filter of a LogQuery, applied here: Compose has none. */
export function lineFilter(filter: LogQuery['filter']): (line: LogLine) => boolean {
	if (!filter) {
		return () => true;
	}

	const pattern = filter.regex ? new RegExp(filter.pattern) : undefined;
	const matches = (text: string): boolean => pattern ? pattern.test(text) : text.includes(filter.pattern);
	return line => matches(line.text) !== filter.exclude;
}

/** Splits a channel's stdout into lines, calling `onLines` once per chunk with the complete ones. */
export function readLines(channel: ClientChannel, onLines: (lines: string[]) => void): void {
	let rest = '';
	channel.setEncoding('utf8');
	channel.on('data', (chunk: string) => {
		const text = rest + chunk;
		const end = text.lastIndexOf('\n');
		if (end === -1) {
			rest = text;
			return;
		}

		rest = text.slice(end + 1);
		onLines(text.slice(0, end).split('\n'));
	});
}
