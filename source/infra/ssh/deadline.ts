/**
 * A timeout that can be paused: time spent waiting for a person (accepting a host key, typing a
 * passphrase) does not count against the time allowed for reaching the host.
 */
export class Deadline {
	private timer: NodeJS.Timeout | undefined;
	private remainingMs: number;
	private startedAt = 0;
	private finished = false;

	constructor(private readonly totalMs: number, private readonly onExpiry: () => void) {
		this.remainingMs = totalMs;
	}

	get limitMs(): number {
		return this.totalMs;
	}

	start(): void {
		if (this.finished || this.timer || this.totalMs <= 0) {
			return;
		}

		this.startedAt = Date.now();
		this.timer = setTimeout(() => {
			this.finished = true;
			this.onExpiry();
		}, this.remainingMs);
	}

	pause(): void {
		if (!this.timer) {
			return;
		}

		clearTimeout(this.timer);
		this.timer = undefined;
		this.remainingMs = Math.max(0, this.remainingMs - (Date.now() - this.startedAt));
	}

	/** Pauses while `wait` runs. */
	async excluding<T>(wait: () => Promise<T>): Promise<T> {
		this.pause();
		try {
			return await wait();
		} finally {
			this.start();
		}
	}

	stop(): void {
		this.finished = true;
		clearTimeout(this.timer);
		this.timer = undefined;
	}
}
