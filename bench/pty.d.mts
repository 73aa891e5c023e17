import type {ChildProcess} from 'node:child_process';

export type PtyProcess = {
	child: ChildProcess;
	readonly bytes: number;
	/** Everything the program wrote, escape sequences included (the last 500 KB of it). */
	output(): string;
	/** Resolves with performance.now() when the output contains `text`. */
	waitFor(text: string, timeoutMs?: number): Promise<number>;
	/** Presses q and waits for the program to end. */
	stop(): Promise<void>;
	/** Resolves with the exit status. */
	exited(): Promise<number | null>;
};

export function spawnInPty(argv: string[], options?: {columns?: number; rows?: number; env?: Record<string, string | undefined>}): PtyProcess;
