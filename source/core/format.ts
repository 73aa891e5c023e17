// Human labels for times and sizes, short enough for table cells.

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** `12s`, `5m`, `3h`, `2d`: the largest whole unit, rounded down. */
export function formatAge(milliseconds: number): string {
	const ms = Math.max(0, milliseconds);
	if (ms < minute) {
		return `${Math.floor(ms / second)}s`;
	}

	if (ms < hour) {
		return `${Math.floor(ms / minute)}m`;
	}

	if (ms < day) {
		return `${Math.floor(ms / hour)}h`;
	}

	return `${Math.floor(ms / day)}d`;
}

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** `45s`, `3m12s`, `1h04m`, `2d03h`: two units at most. */
export function formatDuration(milliseconds: number): string {
	const ms = Math.max(0, milliseconds);
	if (ms < minute) {
		return `${Math.floor(ms / second)}s`;
	}

	if (ms < hour) {
		return `${Math.floor(ms / minute)}m${twoDigits(Math.floor((ms % minute) / second))}s`;
	}

	if (ms < day) {
		return `${Math.floor(ms / hour)}h${twoDigits(Math.floor((ms % hour) / minute))}m`;
	}

	return `${Math.floor(ms / day)}d${twoDigits(Math.floor((ms % day) / hour))}h`;
}

export function shortSha(sha: string | undefined): string {
	return sha ? sha.slice(0, 7) : '—';
}

/** `03:12:40`, local time. */
export function formatClockTime(date: Date): string {
	return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}

/** `2026-11-22 03:12:40`, local time. */
export function formatDateTime(date: Date): string {
	return `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())} ${formatClockTime(date)}`;
}

export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
