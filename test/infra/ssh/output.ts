import type {ExecSession} from '../../../source/core/exec.js';

/** Collects a session's output and waits for text to appear in it. */
export function recordOutput(session: ExecSession): {stdout(): string; stderr(): string; waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>} {
	let stdout = '';
	let stderr = '';
	const waiters = new Set<() => void>();
	session.onOutput((chunk, stream) => {
		if (stream === 'stdout') {
			stdout += Buffer.from(chunk).toString('utf8');
		} else {
			stderr += Buffer.from(chunk).toString('utf8');
		}

		for (const waiter of waiters) {
			waiter();
		}
	});
	return {
		stdout: () => stdout,
		stderr: () => stderr,
		async waitFor(pattern, timeoutMs = 10_000) {
			return new Promise((resolve, reject) => {
				const check = (): void => {
					const match = pattern.exec(stdout);
					if (match) {
						waiters.delete(check);
						clearTimeout(timer);
						resolve(match[0]);
					}
				};

				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`${String(pattern)} did not appear; output so far: ${JSON.stringify(stdout)}`));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
	};
}
