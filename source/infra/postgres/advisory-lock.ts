// The migration advisory lock (release-safety §2.4): taken with pg_try_advisory_lock polled until a
// deadline, never with the blocking pg_advisory_lock, and always with its holder findable.
import type pg from 'pg';
import type {DatabaseConnection} from '../../core/database.js';
import {formatDuration} from '../../core/format.js';
import {applicationName, connect, describe} from './connect.js';
import {PostgresError} from './postgres-error.js';

/**
 * The advisory lock key every wheelhouse release and migration takes: the first 8 bytes of
 * SHA-256("wheelhouse-migrate") as a signed 64-bit integer. Other tools that want to cooperate take
 * `SELECT pg_advisory_lock(-9139971603140607286)` around their migrations.
 */
export const migrationLockKey = -9_139_971_603_140_607_286n;

export type AdvisoryLockHolder = {
	pid: number;
	applicationName: string;
	/** The client's address, or undefined for a unix-socket connection. */
	clientAddr: string | undefined;
	backendStart: Date;
	user: string;
};

/**
 * Tries pg_try_advisory_lock(key) every pollMs until deadlineMs has passed (at least once). Resolves
 * whether this session now holds the lock; a session lock lasts until released or the session ends.
 */
export async function tryAdvisoryLock(client: pg.Client, key: bigint, options: {deadlineMs?: number; pollMs?: number; signal?: AbortSignal} = {}): Promise<boolean> {
	const deadline = Date.now() + (options.deadlineMs ?? 0);
	const pollMs = options.pollMs ?? 500;
	for (;;) {
		const {rows} = await client.query<{locked: boolean}>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
		if (rows[0]?.locked) {
			return true;
		}

		const left = deadline - Date.now();
		if (left <= 0 || options.signal?.aborted) {
			return false;
		}

		await new Promise(resolve => setTimeout(resolve, Math.min(pollMs, left)));
	}
}

/** Releases one hold of the lock by this session; false when this session did not hold it. */
export async function releaseAdvisoryLock(client: pg.Client, key: bigint): Promise<boolean> {
	const {rows} = await client.query<{released: boolean}>('SELECT pg_advisory_unlock($1::bigint) AS released', [key.toString()]);
	return rows[0]?.released ?? false;
}

/**
 * The sessions holding the lock in this database (pg_locks ⋈ pg_stat_activity). A bigint key is
 * stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
 */
export async function advisoryLockHolders(client: pg.Client, key: bigint): Promise<AdvisoryLockHolder[]> {
	const high = BigInt.asUintN(32, key >> 32n).toString();
	const low = BigInt.asUintN(32, key).toString();
	const {rows} = await client.query<{pid: number; application_name: string | null; client_addr: string | null; backend_start: Date; usename: string | null}>(
		`SELECT l.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start, a.usename
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 1
		ORDER BY a.backend_start`,
		[high, low],
	);
	return rows.map(row => ({
		pid: row.pid,
		applicationName: row.application_name ?? '',
		clientAddr: row.client_addr ?? undefined,
		backendStart: row.backend_start,
		user: row.usename ?? '',
	}));
}

/** "pid 4242 "wheelhouse release r-7f3a alice@bastion" (postgres from 10.0.0.5) for 5m12s". */
export function describeHolder(holder: AdvisoryLockHolder, now = Date.now()): string {
	const name = holder.applicationName ? `"${holder.applicationName}"` : 'with no application name';
	const from = holder.clientAddr ? ` from ${holder.clientAddr}` : '';
	return `pid ${holder.pid} ${name} (${holder.user || 'unknown role'}${from}) for ${formatDuration(now - holder.backendStart.getTime())}`;
}

export type ReleaseLock = {
	/** The backend holding the lock: preflight passes it as exceptPids, it is this console's own session. */
	pid: number;
	applicationName: string;
	key: bigint;
	/** Releases the lock and closes the connection; safe to call twice. */
	release(): Promise<void>;
	/** Whether the connection, and so the lock, is still there. */
	held(): boolean;
	/**
	 * Resolves when the connection ends: `released` true after release(), false when it was lost
	 * (killed by pg_terminate_backend, network gone) — the lock is gone with it.
	 */
	closed: Promise<{released: boolean; reason?: string}>;
	/** Who holds the lock now, seen from this connection. */
	holders(): Promise<AdvisoryLockHolder[]>;
};

/**
 * Takes the migration lock on a dedicated connection whose application_name carries the holder
 * ("wheelhouse release <runId> <holder>", 63 bytes at most), and keeps that connection open, with
 * TCP keepalive, until release(). When someone else holds it, fails at once (or after waitMs) with a
 * PostgresError 'lock-held' naming them.
 */
export async function holdReleaseLock(conn: DatabaseConnection, options: {runId: string; holder: string; key?: bigint; waitMs?: number; connectTimeoutMs?: number}): Promise<ReleaseLock> {
	const key = options.key ?? migrationLockKey;
	const name = applicationName(`wheelhouse release ${options.runId} ${options.holder}`);
	const client = await connect(conn, {applicationName: name, connectTimeoutMs: options.connectTimeoutMs, keepAlive: true});
	let released = false;
	let alive = true;
	const closed = new Promise<{released: boolean; reason?: string}>(resolve => {
		let reason: string | undefined;
		client.on('error', error => {
			reason = error.message;
		});
		client.on('end', () => {
			alive = false;
			resolve(released ? {released} : {released, reason: reason ?? 'the connection closed'});
		});
	});
	try {
		const {rows} = await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid');
		// A server-side idle_session_timeout (PostgreSQL 14+) would end the holding session, and the lock with it.
		await client.query(`SELECT set_config('idle_session_timeout', '0', false) WHERE current_setting('server_version_num')::int >= 140000`);
		if (!await tryAdvisoryLock(client, key, {deadlineMs: options.waitMs ?? 0})) {
			const holders = await advisoryLockHolders(client, key);
			const who = holders.length > 0 ? holders.map(holder => describeHolder(holder)).join('; ') : 'a session this role cannot see';
			throw new PostgresError('lock-held', `The release lock on ${describe(conn)} is held by ${who}.`, {
				hint: 'Another release or migration is running: wait for it to finish, or ask its holder. Break it only once nothing runs: SELECT pg_terminate_backend(<pid>).',
			});
		}

		return {
			pid: rows[0]!.pid,
			applicationName: name,
			key,
			async release() {
				if (released || !alive) {
					released = true;
					return;
				}

				released = true;
				await releaseAdvisoryLock(client, key).catch(() => false);
				await client.end().catch(() => undefined);
			},
			held: () => alive && !released,
			closed,
			holders: async () => advisoryLockHolders(client, key),
		};
	} catch (error) {
		await client.end().catch(() => undefined);
		throw error;
	}
}
