import type {LogLine} from './logs.js';

/**
 * Recognises lines a platform sends again when a stream or a page resumes from the last timestamp
 * seen: lines before it, and lines at it that were already delivered (counted, since two lines may
 * legitimately share a timestamp and a text).
 */
export class ResendFilter {
	private lastCursor: string | undefined;
	private atLastCursor = new Map<string, number>();
	private repeatsToSkip = new Map<string, number>();

	/** Where to resume: the newest cursor delivered. */
	get cursor(): string | undefined {
		return this.lastCursor;
	}

	/** Call when a new connection or page starts from `cursor`: its resends are expected afresh. */
	resume(): void {
		this.repeatsToSkip = new Map(this.atLastCursor);
	}

	/** The lines not delivered before, and how many were dropped. */
	admit(lines: LogLine[]): {fresh: LogLine[]; dropped: number} {
		const fresh: LogLine[] = [];
		let dropped = 0;
		for (const line of lines) {
			const order = this.lastCursor === undefined ? 1 : compareCursors(line.cursor, this.lastCursor);
			if (order < 0) {
				dropped++;
				continue;
			}

			if (order === 0) {
				const identity = identityOf(line);
				const expected = this.repeatsToSkip.get(identity) ?? 0;
				if (expected > 0) {
					this.repeatsToSkip.set(identity, expected - 1);
					dropped++;
					continue;
				}
			}

			fresh.push(line);
		}

		this.remember(fresh);
		return {fresh, dropped};
	}

	private remember(fresh: LogLine[]): void {
		let newest = this.lastCursor;
		for (const line of fresh) {
			if (newest === undefined || compareCursors(line.cursor, newest) > 0) {
				newest = line.cursor;
			}
		}

		if (newest !== this.lastCursor) {
			this.atLastCursor = new Map();
			this.lastCursor = newest;
		}

		for (const line of fresh) {
			if (line.cursor === newest) {
				const identity = identityOf(line);
				this.atLastCursor.set(identity, (this.atLastCursor.get(identity) ?? 0) + 1);
			}
		}
	}
}

function identityOf(line: LogLine): string {
	return `${line.source}\u0000${line.container}\u0000${line.text}`;
}

/** Orders RFC 3339 timestamps with any number of fractional digits (Northflank sends nanoseconds). */
export function compareCursors(a: string, b: string): number {
	const left = normaliseCursor(a);
	const right = normaliseCursor(b);
	return left < right ? -1 : (left > right ? 1 : 0);
}

function normaliseCursor(cursor: string): string {
	const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(cursor);
	return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}` : cursor;
}
