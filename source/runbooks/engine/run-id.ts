import {randomBytes} from 'node:crypto';

/** `2026-11-22T10-04-12Z-7f3a`: the UTC second it started (sorts by time), then 4 random hex digits. */
export function newRunId(now: Date = new Date()): string {
	const second = now.toISOString().slice(0, 19).replaceAll(':', '-');
	return `${second}Z-${randomBytes(2).toString('hex')}`;
}

const runIdPattern = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[\da-f]{4,}$/;

export function isRunId(text: string): boolean {
	return runIdPattern.test(text);
}
