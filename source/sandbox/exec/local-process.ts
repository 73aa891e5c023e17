// A process the sandbox runs for an exec session, through a pseudo-terminal or plain pipes.

export type ProcessExit = {exitCode: number; signal?: string};

export type LocalProcess = {
	readonly pid: number;
	/** Raw output bytes; a terminal has only stdout. */
	onOutput(listener: (chunk: Buffer, stream: 'stdout' | 'stderr') => void): void;
	/** Resolves once the process has exited and all its output has been read. */
	readonly exited: Promise<ProcessExit>;
	write(text: string): void;
	endInput(): void;
	resize(columns: number, rows: number): void;
	/** Stops reading output while the client is behind. */
	pause(): void;
	resume(): void;
	/** Hangs up on the process and everything it started; kills what is left after a grace period. */
	hangUp(): void;
	/** Kills the process and everything it started at once (the sandbox is closing). */
	kill(): void;
};

export type LaunchOptions = {
	file: string;
	args: string[];
	cwd: string;
	env: Record<string, string>;
	columns: number;
	rows: number;
};
