// The checks release-safety §2.3 runs before a migration: who would the DDL queue behind, who is
// already waiting, is a dump running, does someone hold a migration lock, is there room to connect.
// The queries are the reference's, scoped to the current database (pg_locks and pg_stat_activity
// span the whole cluster) and with ages returned as seconds.
import type pg from 'pg';
import {formatBytes, formatDuration} from '../../core/format.js';
import type {Finding} from '../../runbooks/types.js';
import {toPlainText} from '../sanitize.js';
import {migrationLockKey} from './advisory-lock.js';

export type OpenTransaction = {
	pid: number;
	user: string;
	applicationName: string;
	state: string;
	transactionSeconds: number;
	waitEventType: string | undefined;
	/** Sanitised, string literals masked, at most 120 characters. */
	query: string;
};

export type BlockedSession = {pid: number; blockedBy: number[]; applicationName: string; waitEventType: string | undefined; waitEvent: string | undefined; waitingSeconds: number; query: string};

export type TableLock = {pid: number; mode: string; granted: boolean; table: string; applicationName: string; transactionSeconds: number | undefined};

export type RunningDump = {pid: number; database: string; runningSeconds: number; clientAddr: string | undefined};

export type AdvisoryLockRow = {
	pid: number;
	granted: boolean;
	/** The bigint key for single-key locks (`pg_advisory_lock(bigint)`), else undefined. */
	key: bigint | undefined;
	classid: number;
	objid: number;
	applicationName: string;
	clientAddr: string | undefined;
	sessionSeconds: number;
};

export type PreflightReport = {
	findings: Finding[];
	sessions: OpenTransaction[];
	blockers: BlockedSession[];
	tableLocks: TableLock[];
	dumps: RunningDump[];
	advisoryHolders: AdvisoryLockRow[];
	connections: {used: number; max: number};
	sizeBytes: number;
	serverVersion: string;
};

export type PreflightOptions = {
	/** The tables the migration touches (bare or schema-qualified names). */
	tables?: string[];
	longTransactionSeconds?: number;
	/** This console's own sessions (the release lock's connection): not reported. */
	exceptPids?: number[];
	/** The key of the migration lock (default migrationLockKey). */
	migrationKey?: bigint;
};

const strongLockModes = new Set(['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock', 'ShareUpdateExclusiveLock']);

/** Runs every check on the client's database; findings are ordered: block, warn, info, ok. */
export async function preflight(client: pg.Client, options: PreflightOptions = {}): Promise<PreflightReport> {
	const tables = options.tables ?? [];
	const except = new Set(options.exceptPids ?? []);
	const keep = <T extends {pid: number}>(rows: T[]): T[] => rows.filter(row => !except.has(row.pid));
	const sessions = keep(await openTransactions(client, options.longTransactionSeconds ?? 60));
	const blockers = keep(await blockedSessions(client));
	const tableLocks = tables.length > 0 ? keep(await locksOnTables(client, tables)) : [];
	const dumps = keep(await runningDumps(client));
	const advisoryHolders = keep(await advisoryLocks(client));
	const {rows: [facts]} = await client.query<{used: number; max: number; size: string; version: string; database: string; hidden: number}>(
		`SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used,
			current_setting('max_connections')::int AS max,
			pg_database_size(current_database())::text AS size,
			current_setting('server_version') AS version,
			current_database() AS database,
			(SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND state IS NULL AND pid <> pg_backend_pid()) AS hidden`,
	);
	const report: Omit<PreflightReport, 'findings'> = {
		sessions,
		blockers,
		tableLocks,
		dumps,
		advisoryHolders,
		connections: {used: facts!.used, max: facts!.max},
		sizeBytes: Number(facts!.size),
		serverVersion: facts!.version,
	};
	const findings = [
		...transactionFindings(sessions, tableLocks),
		...blockedFindings(blockers),
		...(tables.length > 0 ? tableLockFindings(tableLocks, sessions, tables) : []),
		...dumpFindings(dumps, facts!.database),
		...advisoryFindings(advisoryHolders, options.migrationKey ?? migrationLockKey),
		...connectionFindings(report.connections),
		...(facts!.hidden > 0 ? [hiddenSessionsFinding(facts!.hidden)] : []),
		{level: 'info' as const, check: 'server', message: `PostgreSQL ${report.serverVersion}, database ${facts!.database} ${formatBytes(report.sizeBytes)}`},
	];
	const order = {block: 0, warn: 1, info: 2, ok: 3};
	return {findings: findings.sort((a, b) => order[a.level] - order[b.level]), ...report};
}

async function openTransactions(client: pg.Client, longSeconds: number): Promise<OpenTransaction[]> {
	const {rows} = await client.query<{pid: number; usename: string | null; application_name: string | null; state: string; xact_age: number; wait_event_type: string | null; query: string | null}>(
		`SELECT pid, usename, application_name, state,
			extract(epoch FROM now() - xact_start)::float8 AS xact_age, wait_event_type, left(query, 120) AS query
		FROM pg_stat_activity
		WHERE datname = current_database()
			AND pid <> pg_backend_pid()
			AND xact_start IS NOT NULL
			AND (now() - xact_start > make_interval(secs => $1) OR state LIKE 'idle in transaction%')
		ORDER BY xact_start`,
		[longSeconds],
	);
	return rows.map(row => ({
		pid: row.pid,
		user: row.usename ?? '',
		applicationName: row.application_name ?? '',
		state: row.state,
		transactionSeconds: row.xact_age,
		waitEventType: row.wait_event_type ?? undefined,
		query: safeQuery(row.query),
	}));
}

async function blockedSessions(client: pg.Client): Promise<BlockedSession[]> {
	const {rows} = await client.query<{pid: number; blocked_by: number[]; application_name: string | null; wait_event_type: string | null; wait_event: string | null; waiting: number | null; query: string | null}>(
		`SELECT pid, pg_blocking_pids(pid) AS blocked_by, application_name, wait_event_type, wait_event,
			extract(epoch FROM now() - query_start)::float8 AS waiting, left(query, 120) AS query
		FROM pg_stat_activity
		WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0
		ORDER BY query_start`,
	);
	return rows.map(row => ({
		pid: row.pid,
		blockedBy: row.blocked_by,
		applicationName: row.application_name ?? '',
		waitEventType: row.wait_event_type ?? undefined,
		waitEvent: row.wait_event ?? undefined,
		waitingSeconds: row.waiting ?? 0,
		query: safeQuery(row.query),
	}));
}

async function locksOnTables(client: pg.Client, tables: string[]): Promise<TableLock[]> {
	const {rows} = await client.query<{pid: number; mode: string; granted: boolean; relname: string; nspname: string; application_name: string | null; xact_age: number | null}>(
		`SELECT l.pid, l.mode, l.granted, c.relname, n.nspname, a.application_name,
			extract(epoch FROM now() - a.xact_start)::float8 AS xact_age
		FROM pg_locks l
		JOIN pg_class c ON c.oid = l.relation
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE (c.relname = ANY($1) OR n.nspname || '.' || c.relname = ANY($1))
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.pid <> pg_backend_pid()
		ORDER BY l.granted DESC, a.xact_start`,
		[tables],
	);
	return rows.map(row => ({
		pid: row.pid,
		mode: row.mode,
		granted: row.granted,
		table: row.nspname === 'public' ? row.relname : `${row.nspname}.${row.relname}`,
		applicationName: row.application_name ?? '',
		transactionSeconds: row.xact_age ?? undefined,
	}));
}

async function runningDumps(client: pg.Client): Promise<RunningDump[]> {
	const {rows} = await client.query<{pid: number; datname: string | null; running_for: number | null; client_addr: string | null}>(
		`SELECT pid, datname, extract(epoch FROM now() - coalesce(xact_start, backend_start))::float8 AS running_for, host(client_addr) AS client_addr
		FROM pg_stat_activity WHERE application_name IN ('pg_dump', 'pg_dumpall')`,
	);
	return rows.map(row => ({pid: row.pid, database: row.datname ?? '', runningSeconds: row.running_for ?? 0, clientAddr: row.client_addr ?? undefined}));
}

async function advisoryLocks(client: pg.Client): Promise<AdvisoryLockRow[]> {
	const {rows} = await client.query<{pid: number; granted: boolean; classid: string; objid: string; key: string | null; application_name: string | null; client_addr: string | null; session_age: number}>(
		`SELECT l.pid, l.granted, l.classid::text, l.objid::text, a.application_name, host(a.client_addr) AS client_addr,
			extract(epoch FROM now() - a.backend_start)::float8 AS session_age,
			CASE WHEN l.objsubid = 1 THEN ((l.classid::text::int8 << 32) | l.objid::text::int8)::text END AS key
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory'
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.pid <> pg_backend_pid()
		ORDER BY a.backend_start`,
	);
	return rows.map(row => ({
		pid: row.pid,
		granted: row.granted,
		key: row.key === null ? undefined : BigInt(row.key),
		classid: Number(row.classid),
		objid: Number(row.objid),
		applicationName: row.application_name ?? '',
		clientAddr: row.client_addr ?? undefined,
		sessionSeconds: row.session_age,
	}));
}

function transactionFindings(sessions: OpenTransaction[], tableLocks: TableLock[]): Finding[] {
	if (sessions.length === 0) {
		return [{level: 'ok', check: 'long transactions', message: 'No long or idle-in-transaction sessions.'}];
	}

	return sessions.map(session => {
		const idle = session.state.startsWith('idle in transaction');
		const held = tableLocks.filter(lock => lock.pid === session.pid && lock.granted);
		const what = idle ? `${session.state} for ${seconds(session.transactionSeconds)}` : `in a transaction for ${seconds(session.transactionSeconds)} (${session.state})`;
		const query = session.query ? `; last query: ${session.query}` : '';
		if (held.length > 0) {
			return {
				level: 'block',
				check: idle ? 'idle in transaction' : 'long transaction',
				message: `${who(session)} ${what}, holding ${held.map(lock => `${lock.mode} on ${lock.table}`).join(', ')}${query}`,
				hint: `The migration would queue behind it and block every query on ${held[0]!.table}: ask its owner to finish, or end it with SELECT pg_terminate_backend(${session.pid}).`,
			};
		}

		return {
			level: 'warn',
			check: idle ? 'idle in transaction' : 'long transaction',
			message: `${who(session)} ${what}${query}`,
			hint: `If it holds a lock on a table the migration alters, the migration queues behind it: ask its owner to finish, or end it with SELECT pg_terminate_backend(${session.pid}).`,
		};
	});
}

function blockedFindings(blocked: BlockedSession[]): Finding[] {
	if (blocked.length === 0) {
		return [{level: 'ok', check: 'blocked sessions', message: 'No session is waiting for a lock.'}];
	}

	return blocked.map(session => ({
		level: 'warn',
		check: 'blocked sessions',
		message: `${who(session)} has waited ${seconds(session.waitingSeconds)} for pid ${session.blockedBy.join(', pid ')}${session.waitEvent ? ` (${session.waitEventType ?? ''} ${session.waitEvent})` : ''}${session.query ? `: ${session.query}` : ''}`,
		hint: 'A lock queue is already forming: find out why the blocking session holds its lock before adding a migration to the queue.',
	}));
}

function tableLockFindings(locks: TableLock[], sessions: OpenTransaction[], tables: string[]): Finding[] {
	const reported = new Set(sessions.map(session => session.pid));
	const findings: Finding[] = [];
	for (const lock of locks) {
		if (reported.has(lock.pid) && lock.granted) {
			continue;
		}

		if (!lock.granted || strongLockModes.has(lock.mode)) {
			findings.push({
				level: 'warn',
				check: 'table locks',
				message: `${who(lock)} ${lock.granted ? 'holds' : 'waits for'} ${lock.mode} on ${lock.table}${lock.transactionSeconds === undefined ? '' : ` (transaction ${seconds(lock.transactionSeconds)} old)`}`,
				hint: 'The migration would wait behind this lock: let it finish first.',
			});
		}
	}

	const light = locks.filter(lock => lock.granted && !strongLockModes.has(lock.mode) && !reported.has(lock.pid));
	if (light.length > 0) {
		findings.push({level: 'info', check: 'table locks', message: `${new Set(light.map(lock => lock.pid)).size} session(s) reading or writing ${[...new Set(light.map(lock => lock.table))].join(', ')} right now (ordinary traffic).`});
	}

	if (findings.length === 0) {
		findings.push({level: 'ok', check: 'table locks', message: `No other session holds a lock on ${tables.join(', ')}.`});
	}

	return findings;
}

function dumpFindings(dumps: RunningDump[], database: string): Finding[] {
	if (dumps.length === 0) {
		return [{level: 'ok', check: 'pg_dump running', message: 'No pg_dump is running.'}];
	}

	return dumps.map(dump => dump.database === database
		? {
			level: 'block',
			check: 'pg_dump running',
			message: `pg_dump (pid ${dump.pid}${dump.clientAddr ? ` from ${dump.clientAddr}` : ''}) has been dumping ${database} for ${seconds(dump.runningSeconds)}.`,
			hint: 'Wait for the dump to finish: a migration would queue behind it, and every query on the altered table behind the migration.',
		}
		: {level: 'info', check: 'pg_dump running', message: `pg_dump (pid ${dump.pid}) is dumping another database, ${dump.database}, for ${seconds(dump.runningSeconds)}.`});
}

function advisoryFindings(rows: AdvisoryLockRow[], migrationKey: bigint): Finding[] {
	if (rows.length === 0) {
		return [{level: 'ok', check: 'advisory locks', message: 'No advisory locks are held.'}];
	}

	const migration = rows.filter(row => row.key === migrationKey);
	const findings: Finding[] = migration.map(row => ({
		level: 'block',
		check: 'migration lock',
		message: `The migration lock is ${row.granted ? 'held' : 'awaited'} by ${who(row)}${row.clientAddr ? ` from ${row.clientAddr}` : ''}, connected ${seconds(row.sessionSeconds)} ago.`,
		hint: 'Another release or migration is running: wait for it, or ask its holder.',
	}));
	const others = rows.filter(row => row.key !== migrationKey && row.granted);
	if (others.length > 0) {
		findings.push({
			level: 'info',
			check: 'advisory locks',
			message: `Other advisory locks held: ${others.map(row => `${row.key === undefined ? `(${row.classid}, ${row.objid})` : row.key.toString()} by ${who(row)}`).join('; ')}.`,
			hint: 'A migration tool that takes its own advisory lock (Rails, golang-migrate, a wrapper around Django) may be running.',
		});
	}

	return findings;
}

function connectionFindings(connections: {used: number; max: number}): Finding[] {
	const text = `${connections.used} of ${connections.max} connections in use.`;
	return connections.used > connections.max * 0.9
		? [{level: 'warn', check: 'connections', message: text, hint: 'The migration job needs a connection of its own: look for leaking clients, or raise max_connections.'}]
		: [{level: 'ok', check: 'connections', message: text}];
}

function hiddenSessionsFinding(count: number): Finding {
	return {
		level: 'warn',
		check: 'visibility',
		message: `${count} session(s) of other roles are hidden from this role: their transactions and locks could not be checked.`,
		hint: 'Grant the role pg_read_all_stats (or run the preflight as the owner) to see every session.',
	};
}

function who(session: {pid: number; applicationName: string}): string {
	return `pid ${session.pid}${session.applicationName ? ` (${sanitize(session.applicationName)})` : ''}`;
}

function seconds(value: number): string {
	return formatDuration(value * 1000);
}

/** Query text for a message: one line, no controls, string literals masked (they may hold secrets), 120 characters. */
export function safeQuery(query: string | null): string {
	if (!query) {
		return '';
	}

	const masked = sanitize(query).replaceAll(/'(?:[^']|'')*'?/g, '\'…\'');
	return masked.length > 120 ? `${masked.slice(0, 119)}…` : masked;
}

function sanitize(text: string): string {
	return toPlainText(text).replaceAll(/\s+/g, ' ').trim();
}
