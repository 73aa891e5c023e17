// The database half of the release lock: a PostgreSQL session advisory lock held for the whole run on
// a connection whose application_name names the run, so anyone can see who holds it (pg_stat_activity).
import {databaseConnection} from './database.js';
import {holdDatabaseLock, type HeldDatabaseLock} from './pg-tools.js';
import type {DeploymentTarget} from './target.js';
import type {Runbook} from './types.js';

const held = new Map<string, HeldDatabaseLock>();

/** The backend pid of this run's own lock session, so checks do not report the console itself. */
export function ownLockPids(runId: string): number[] {
	const lock = held.get(runId);
	return lock ? [lock.pid] : [];
}

export function releaseLockHooks(target: DeploymentTarget): NonNullable<Runbook['lockHooks']> {
	return {
		async acquire(context) {
			const {runId, operator, host} = context.journal;
			if (held.has(runId)) {
				return;
			}

			const lock = await holdDatabaseLock(await databaseConnection(context.provider, target), {runId, holder: `${operator}@${host}`, kind: context.journal.kind});
			held.set(runId, lock);
			context.log('database release lock taken');
		},
		async release(context) {
			const lock = held.get(context.journal.runId);
			held.delete(context.journal.runId);
			await lock?.release();
		},
	};
}
