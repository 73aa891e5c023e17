// Live-tail frames as Northflank sends them: `{"type":"log-lines","data":[...]}`, each at most about
// 32.7 kB (a single longer line goes alone), flushed by the session at least once a second.
import {entryJson, type LogEntry} from './log-entry.js';

const maxFrameBytes = 32_700;

const head = '{"type":"log-lines","data":[';
const tail = ']}';

export class LogBatcher {
	private parts: string[] = [];
	private bytes = head.length + tail.length;
	private startedAt = 0;

	constructor(private readonly send: (frame: string) => void) {}

	get size(): number {
		return this.parts.length;
	}

	/** Milliseconds since the oldest line waiting was added (0 when none waits). */
	age(): number {
		return this.parts.length === 0 ? 0 : performance.now() - this.startedAt;
	}

	add(entry: LogEntry): void {
		const part = entryJson(entry);
		const bytes = Buffer.byteLength(part) + 1;
		if (this.parts.length > 0 && this.bytes + bytes > maxFrameBytes) {
			this.flush();
		}

		if (this.parts.length === 0) {
			this.startedAt = performance.now();
		}

		this.parts.push(part);
		this.bytes += bytes;
	}

	flush(): void {
		if (this.parts.length === 0) {
			return;
		}

		const frame = `${head}${this.parts.join(',')}${tail}`;
		this.parts = [];
		this.bytes = head.length + tail.length;
		this.send(frame);
	}

	/** Forgets what waits: a dropped connection never sends it, and the client resumes from its last line. */
	discard(): void {
		this.parts = [];
		this.bytes = head.length + tail.length;
	}
}
