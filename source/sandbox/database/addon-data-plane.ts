// The real work behind the PostgreSQL addon's backups, restores and downloads: pg_dump and pg_restore
// as child processes of the sandbox, against the sandbox's database. Records stay `running` until their
// process exits, then get the exit time and the outcome (see RealOperation in state.ts).
import {existsSync} from 'node:fs';
import {mkdir, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {conflict} from '../api-error.js';
import type {IdSource} from '../ids.js';
import type {AddonRecord, BackupRecord, RestoreRecord, SandboxState} from '../state.js';
import {corruptArchive} from './archive-corruption.js';
import {DownloadLinks} from './download-links.js';
import {withSession} from './pg-session.js';
import {runPgTool, type PgToolRun, type ToolOutcome} from './pg-tool-run.js';
import type {SandboxDatabase} from './sandbox-database.js';

export type DataPlaneHooks = {
	/** The sandbox's clock. */
	now: () => number;
	/** A record changed: persist the state. */
	changed: () => void;
};

/** A forced failure: `fail` makes pg_dump exit nonzero, `corrupt` completes with an unreadable archive. */
export type BackupFault = 'fail' | 'corrupt';

type DumpOutcome = {ok: true; sizeBytes: number} | {ok: false; reason: string};

/** A table no database has: with --strict-names, pg_dump then fails for real (`fail-next backup`). */
const forcedFailureTable = 'sandbox_forced_failure_no_such_table';

export class AddonDataPlane {
	readonly downloads: DownloadLinks;
	/** The sandbox's base URL, for download links; set once the sandbox listens. */
	publicUrl = '';
	/**
	 * What must happen to the database before any dump or restore (its seeding), so a backup never
	 * catches it half made and a restore never races it. Set before the sandbox serves.
	 */
	prepared: Promise<unknown> = Promise.resolve();
	private readonly runs = new Set<PgToolRun>();
	private closed = false;

	constructor(
		readonly database: SandboxDatabase,
		private readonly hooks: DataPlaneHooks,
	) {
		this.downloads = new DownloadLinks(hooks.now);
	}

	/** Starts pg_dump for a backup record just created; it stays running until the dump ends. */
	backUp(backup: BackupRecord, fault?: BackupFault): void {
		backup.running = true;
		backup.archive = `${backup.id}.dump`;
		backup.sizeBytes = 0;
		void this.dump(backup.archive, fault).then(outcome => {
			this.conclude(backup, outcome);
		});
	}

	/** Starts restoring the backup's archive (see runRestore); the record stays running until it ends. */
	restore(restore: RestoreRecord, backup: BackupRecord): void {
		restore.running = true;
		void this.runRestore(backup).then(outcome => {
			this.conclude(restore, outcome);
		});
	}

	/** Takes one real backup in the background and lists it once complete, so the newest backup is real. */
	takeBaselineBackup(addon: AddonRecord, ids: IdSource): void {
		const id = `sandbox-baseline-${ids.hex(8)}`;
		void this.prepared.catch(() => undefined).then(async () => {
			const createdAt = this.hooks.now();
			return {createdAt, outcome: await this.dump(`${id}.dump`)};
		}).then(({createdAt, outcome}) => {
			if (this.closed || !outcome.ok) {
				return;
			}

			const backup: BackupRecord = {
				id,
				name: `sandbox baseline ${new Date(createdAt).toISOString().slice(0, 16).replace('T', ' ')}`,
				backupType: 'dump',
				compressionType: 'gz',
				createdAt,
				completesAt: this.hooks.now(),
				result: 'completed',
				sizeBytes: outcome.sizeBytes,
				addonVersion: `${addon.versionTag}.4`,
				archive: `${id}.dump`,
			};
			const index = addon.backups.findIndex(other => other.createdAt < createdAt);
			addon.backups.splice(index === -1 ? addon.backups.length : index, 0, backup);
			this.hooks.changed();
		});
	}

	/** A link that downloads the backup's archive without the API token, for an hour. */
	downloadLink(backup: BackupRecord): string {
		if (backup.archive === undefined) {
			throw conflict(noArchive(backup));
		}

		const file = path.join(this.database.backupsDirectory(), backup.archive);
		if (!existsSync(file)) {
			throw conflict(`The archive of backup "${backup.id}" is gone from ${this.database.backupsDirectory()}`);
		}

		const {token} = this.downloads.grant(file, backup.archive);
		return `${this.publicUrl}/_sandbox/downloads/${token}`;
	}

	/** Kills running dumps and restores; their records stay running, and a reloaded state marks them interrupted. */
	async close(): Promise<void> {
		this.closed = true;
		const runs = [...this.runs];
		for (const run of runs) {
			run.kill();
		}

		await Promise.all(runs.map(async run => run.finished));
	}

	private async dump(archive: string, fault?: BackupFault): Promise<DumpOutcome> {
		const file = path.join(this.database.backupsDirectory(), archive);
		const outcome = await this.attempt(async (): Promise<DumpOutcome> => {
			const connection = await this.database.connection();
			await mkdir(this.database.backupsDirectory(), {recursive: true});
			const forcedFailure = fault === 'fail' ? ['--strict-names', `--table=${forcedFailureTable}`] : [];
			const result = await this.track(runPgTool('pg_dump', ['-Fc', '--no-acl', '--no-owner', '--lock-wait-timeout=30s', ...forcedFailure, '-f', file], connection));
			if (!result.ok) {
				return {ok: false, reason: fault === 'fail' ? `${result.reason} (sandbox: forced failure)` : result.reason};
			}

			if (fault === 'corrupt') {
				await corruptArchive(file);
			}

			return {ok: true, sizeBytes: (await stat(file)).size};
		});
		if (!outcome.ok) {
			await rm(file, {force: true});
		}

		return outcome;
	}

	private async runRestore(backup: BackupRecord): Promise<ToolOutcome> {
		return this.attempt(async (): Promise<ToolOutcome> => {
			const file = backup.archive === undefined ? undefined : path.join(this.database.backupsDirectory(), backup.archive);
			if (file === undefined || !existsSync(file)) {
				return {ok: false, reason: file === undefined ? noArchive(backup) : `the archive ${file} is gone`};
			}

			const connection = await this.database.connection();
			// An archive that cannot even be listed fails the restore before the database is touched.
			const readable = await this.track(runPgTool('pg_restore', ['--list', file], connection));
			if (!readable.ok) {
				return {ok: false, reason: `the archive cannot be read: ${readable.reason}`};
			}

			await endOtherSessions(this.database, connection.database);
			await emptyPublicSchema(this.database, connection.database);
			return this.track(runPgTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-acl', '--exit-on-error', `--dbname=${connection.database}`, file], connection));
		});
	}

	/** Runs `work`; a database that cannot start or any other error becomes a failed outcome. */
	private async attempt<T extends {ok: boolean}>(work: () => Promise<T>): Promise<T | {ok: false; reason: string}> {
		try {
			await this.prepared.catch(() => undefined);
			if (this.closed) {
				return {ok: false, reason: 'the sandbox closed'};
			}

			return await work();
		} catch (error) {
			return {ok: false, reason: (error as Error).message};
		}
	}

	private async track(run: PgToolRun): Promise<ToolOutcome> {
		if (this.closed) {
			run.kill();
		}

		this.runs.add(run);
		try {
			return await run.finished;
		} finally {
			this.runs.delete(run);
		}
	}

	private conclude(record: BackupRecord | RestoreRecord, outcome: DumpOutcome | ToolOutcome): void {
		if (this.closed) {
			return;
		}

		delete record.running;
		record.completesAt = this.hooks.now();
		if (outcome.ok) {
			record.result = 'completed';
			if ('sizeBytes' in outcome && 'sizeBytes' in record) {
				record.sizeBytes = outcome.sizeBytes;
			}
		} else {
			record.result = 'failed';
			record.failureReason = outcome.reason;
			if ('archive' in record) {
				delete record.archive;
			}
		}

		this.hooks.changed();
	}
}

/** Why a backup cannot be downloaded or restored: it never had an archive. */
export function noArchive(backup: BackupRecord): string {
	return `Backup "${backup.id}" is simulated (seeded history, or taken while the sandbox ran without a database) and has no archive; take a new backup to get one`;
}

/** A restore means downtime: every other session of the database is ended first, as a platform would. */
async function endOtherSessions(database: SandboxDatabase, databaseName: string): Promise<void> {
	await withSession(await database.adminConnection(), async client => {
		const {rows} = await client.query<{pid: number}>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [databaseName]);
		for (const {pid} of rows) {
			// A role may not end every session (a URL's role, others' sessions): end what it can.
			 
			await client.query('select pg_terminate_backend($1)', [pid]).catch(() => undefined);
		}
	});
}

/**
 * A restore replaces the database as it is: objects made since the backup go too. pg_restore --clean
 * alone drops only what the archive holds, and fails on a newer table that references one of those
 * (a migration's foreign key), so the public schema is emptied first. A role that may not drop the
 * schema (a URL's role that does not own the database) leaves it to --clean.
 */
async function emptyPublicSchema(database: SandboxDatabase, databaseName: string): Promise<void> {
	const admin = await database.adminConnection();
	await withSession({...admin, database: databaseName}, async client => {
		try {
			await client.query('begin');
			await client.query('drop schema if exists public cascade');
			// As a fresh PostgreSQL 15 database has it; older servers have no pg_database_owner.
			await client.query('savepoint fresh_schema');
			await client.query('create schema public authorization pg_database_owner').catch(async () => {
				await client.query('rollback to savepoint fresh_schema');
				await client.query('create schema public');
			});
			await client.query('grant usage on schema public to public');
			await client.query('commit');
		} catch {
			await client.query('rollback').catch(() => undefined);
		}
	});
}

/** A sandbox restarted while real operations ran: they were killed with it. */
export function markInterruptedOperations(state: SandboxState, now: number): boolean {
	let changed = false;
	for (const addon of state.projects.flatMap(project => project.addons)) {
		for (const record of [...addon.backups, ...addon.restores]) {
			if (record.running) {
				delete record.running;
				record.completesAt = now;
				record.result = 'failed';
				record.failureReason = 'interrupted: sandbox restarted';
				if ('archive' in record) {
					delete record.archive;
				}

				changed = true;
			}
		}
	}

	return changed;
}
