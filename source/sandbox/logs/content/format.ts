// Building blocks of log text: streams, scripts and the time formats of each program.
import type {LineText, Phase} from '../container-log.js';
import type {LogTime} from '../log-time.js';

export const out = (text: string): LineText => ({text, stream: 'stdout'});

export const err = (text: string): LineText => ({text, stream: 'stderr'});

/** A line of a script; a function when the line shows its own time. */
export type ScriptLine = LineText | ((time: LogTime) => LineText);

/** A phase that writes exactly these lines, spread evenly from `from` until `plannedTo`. */
export function scriptPhase(from: number, plannedTo: number, script: readonly ScriptLine[]): Phase {
	return {
		from,
		lines: {kind: 'script', count: script.length, plannedTo},
		render(line) {
			const entry = script[line.seqInPhase - 1] ?? script.at(-1)!;
			return typeof entry === 'function' ? entry(line.time) : entry;
		},
	};
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function perSecond(format: (iso: string, date: Date) => string): (time: LogTime) => string {
	let second = Number.NaN;
	let value = '';
	return time => {
		const current = Math.floor(time.ms / 1000);
		if (current !== second) {
			second = current;
			const date = new Date(current * 1000);
			value = format(date.toISOString(), date);
		}

		return value;
	};
}

/** Gunicorn's access log: 22/Nov/2026:03:12:40 +0000 */
export const accessTime = perSecond((iso, date) => `${iso.slice(8, 10)}/${months[date.getUTCMonth()]!}/${iso.slice(0, 4)}:${iso.slice(11, 19)} +0000`);

/** Gunicorn's error log: 2026-11-22 03:12:40 +0000 */
export const gunicornTime = perSecond(iso => `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`);

const secondOfDay = perSecond(iso => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`);

/** PostgreSQL's log_line_prefix "%m": 2026-11-22 03:12:40.123 UTC */
export function postgresTime(time: LogTime): string {
	return `${secondOfDay(time)}.${String(time.ms % 1000).padStart(3, '0')} UTC`;
}

/** Python's JSON loggers: 2026-11-22T03:12:40.123Z */
export function isoMilliseconds(time: LogTime): string {
	return `${secondOfDay(time).replace(' ', 'T')}.${String(time.ms % 1000).padStart(3, '0')}Z`;
}
