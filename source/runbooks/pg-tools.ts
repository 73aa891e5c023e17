// The runbooks' view of infra/postgres: short-lived connections for one question each, so a dropped
// connection never strands a session, and answers shaped as findings and journal facts.
import type pg from 'pg';
import type {DatabaseConnection} from '../core/database.js';
import {advisoryLockHolders, describeHolder, holdReleaseLock, type ReleaseLock} from '../infra/postgres/advisory-lock.js';
import {connect} from '../infra/postgres/connect.js';
import {classifyPgError} from '../infra/postgres/errors.js';
import {listArchive, restoreToScratch, rowCounts} from '../infra/postgres/archive.js';
import {parseAlembic, parseShowmigrationsPlan, pendingMigrations, readMigrationState} from '../infra/postgres/migration-state.js';
import {preflight} from '../infra/postgres/preflight.js';
import type {FailureClass, Finding} from './types.js';

/** Not the migration key: the migrating process takes that one, the console holds this for the run. */
export const releaseLockKey = -7_240_516_102_211_871_413n;

async function withClient<T>(conn: DatabaseConnection, purpose: string, ask: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = await connect(conn, {applicationName: `wheelhouse ${purpose}`, connectTimeoutMs: 10_000});
	try {
		return await ask(client);
	} finally {
		await client.end().catch(() => undefined);
	}
}

export async function databaseFindings(conn: DatabaseConnection, options: {exceptPids?: number[]} = {}): Promise<Finding[]> {
	return withClient(conn, 'preflight', async client => (await preflight(client, {exceptPids: options.exceptPids})).findings);
}

export async function appliedMigrations(conn: DatabaseConnection): Promise<{tool: 'django' | 'alembic' | 'none'; applied: string[]}> {
	return withClient(conn, 'migration state', async client => readMigrationState(client));
}

/** Migrations the new build's plan has that the database has not applied, in plan order. */
export function pendingFromPlan(tool: 'django' | 'alembic', output: string[], applied: string[]): string[] {
	if (tool === 'alembic') {
		// Alembic names only the heads it will reach; the revisions in between show in `alembic history`.
		const state = parseAlembic(applied.join('\n'), output.join('\n'));
		return state.heads.filter(head => !state.current.includes(head));
	}

	return pendingMigrations(applied, parseShowmigrationsPlan(output.join('\n')));
}

export function classifyMigrationOutput(output: string[]): {class: FailureClass; reason: string} {
	const failure = classifyPgError(output.join('\n'));
	return {class: failure.class, reason: failure.reason};
}

export async function tableCounts(conn: DatabaseConnection): Promise<Record<string, number>> {
	return withClient(conn, 'row counts', async client => rowCounts(client));
}

export type ArchiveCheck = {level: 'captured' | 'readable' | 'verified'; tocOk: boolean; restoreTested: boolean; lines: string[]};

/** The verification ladder (release-safety §3.2): lists → readable; scratch restore with matching counts → verified. */
export async function verifyArchive(file: string, options: {restoreInto?: DatabaseConnection; expectedCounts?: Record<string, number>}): Promise<ArchiveCheck> {
	const lines: string[] = [];
	const listing = await listArchive(file);
	if (!listing.ok) {
		lines.push(`pg_restore --list failed: ${listing.error ?? 'unreadable archive'}`);
		return {level: 'captured', tocOk: false, restoreTested: false, lines};
	}

	lines.push(`pg_restore --list: ${listing.entries} entries, ${listing.tables.length} tables`);
	if (!options.restoreInto) {
		return {level: 'readable', tocOk: true, restoreTested: false, lines};
	}

	const restored = await restoreToScratch(options.restoreInto, file);
	if (!restored.ok) {
		lines.push(`scratch restore failed: ${restored.error ?? 'unknown error'}`);
		return {level: 'readable', tocOk: true, restoreTested: true, lines};
	}

	const expected = options.expectedCounts ?? {};
	const mismatches = Object.entries(expected).filter(([table, count]) => restored.rowCounts[table] !== count);
	lines.push(`scratch restore: ${Object.keys(restored.rowCounts).length} tables restored`);
	for (const [table, count] of mismatches) {
		lines.push(`  ${table}: ${restored.rowCounts[table] ?? 'missing'} rows restored, ${count} before the backup`);
	}

	return {level: mismatches.length === 0 ? 'verified' : 'readable', tocOk: true, restoreTested: true, lines};
}

export type HeldDatabaseLock = ReleaseLock;

export async function holdDatabaseLock(conn: DatabaseConnection, options: {runId: string; holder: string; kind: string}): Promise<HeldDatabaseLock> {
	return holdReleaseLock(conn, {runId: options.runId, holder: options.holder, key: releaseLockKey});
}

/** Who holds the console's release lock in the database, described for a person. */
export async function releaseLockHoldersOf(conn: DatabaseConnection): Promise<string[]> {
	return withClient(conn, 'lock check', async client => (await advisoryLockHolders(client, releaseLockKey)).map(holder => describeHolder(holder)));
}
