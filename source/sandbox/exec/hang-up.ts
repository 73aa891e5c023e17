import {killSession, signalSession} from './kill-session.js';

const graceMs = 2000;

/**
 * Hangs up on a session (SIGHUP, as a closed terminal does) and kills whatever is still there after a
 * grace period, unless `exited` settles first.
 */
export function hangUpSession(leader: number, exited: Promise<unknown>): void {
	signalSession(leader, 'SIGHUP');
	const timer = setTimeout(() => {
		killSession(leader);
	}, graceMs);
	timer.unref();
	void exited.finally(() => {
		clearTimeout(timer);
	});
}
