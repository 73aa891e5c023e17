import {hostname} from 'node:os';

/** Whether a process with this pid exists on this host (a pid reused by another process counts as alive). */
export function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function thisHost(): string {
	return hostname();
}
