// Platform-neutral command execution: an interactive shell or a one-shot command in a container or
// on a host. Northflank's exec WebSocket, SSH channels and `docker compose exec` all become an ExecSession.

export type ExecTarget =
	| {kind: 'service' | 'job' | 'addon'; id: string; name: string; instance?: string; container?: string}
	| {kind: 'host'; name: string};

export type ExecRequest = {
	/** argv to run; absent for an interactive shell. */
	command?: string[];
	/** Allocate a pseudo-terminal (interactive shells, `exec` on a terminal). */
	tty: boolean;
	columns?: number;
	rows?: number;
};

export type ExecResult = {
	exitCode: number;
	/** How the platform put it: success, failure, or unknown when the connection ended without a status. */
	status: 'success' | 'failure' | 'unknown';
	message?: string;
};

export type ExecSession = {
	/** Where it runs, as the platform chose it (instance/pod, container, host). */
	readonly where: {instance?: string; container?: string; host?: string};
	write(data: string | Uint8Array): void;
	/** No more input (stdin closed): one-shot commands reading stdin finish. */
	endInput(): void;
	resize(columns: number, rows: number): void;
	onOutput(listener: (chunk: Uint8Array, stream: 'stdout' | 'stderr') => void): void;
	/** Resolves once, when the command or shell has ended. */
	readonly result: Promise<ExecResult>;
	/** Ends the session now (the remote side is told where the protocol allows). */
	close(): void;
};
