/** Compact age: `12s`, `5m`, `3h`, `2d`. */
export function formatAge(date: Date | undefined, now: Date): string {
	if (!date) {
		return '—';
	}

	return formatDuration(Math.max(0, now.getTime() - date.getTime()));
}

export function formatDuration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms)) {
		return '—';
	}

	const seconds = Math.floor(ms / 1000);
	if (seconds < 60) {
		return `${seconds}s`;
	}

	if (seconds < 3600) {
		const minutes = Math.floor(seconds / 60);
		const rest = seconds % 60;
		return minutes < 10 && rest > 0 ? `${minutes}m${String(rest).padStart(2, '0')}s` : `${minutes}m`;
	}

	if (seconds < 86_400) {
		return `${Math.floor(seconds / 3600)}h`;
	}

	return `${Math.floor(seconds / 86_400)}d`;
}

export function formatBytes(bytes: number | undefined): string {
	if (bytes === undefined) {
		return '—';
	}

	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
