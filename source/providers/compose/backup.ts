// Backups of a Compose host's database: `pg_dump -Fc` run in the database container, its stdout
// streamed over SSH into a local file, then read back like every backup (pg_restore --list, SHA-256).
// Each backup is two local files: <id>.dump and <id>.json (what listBackups reads).
import {createHash, randomBytes} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {chmod, mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {Backup} from '../../core/types.js';
import {listArchive} from '../../infra/postgres/index.js';
import {toPlainText} from '../../infra/sanitize.js';
import {exitOf, type ComposeHost} from './host.js';

export type ComposeBackup = Backup & {
	/** The archive on this machine. */
	file: string;
	sha256?: string;
	/** Tables the archive's table of contents lists. */
	tables?: number;
	/** Why it failed, in pg_dump's or pg_restore's words. */
	error?: string;
};

type StoredBackup = Omit<ComposeBackup, 'createdAt' | 'completedAt'> & {createdAt: string; completedAt?: string};

/** pg_dump in the container, connecting as the image's own superuser to its own database (no password leaves the host). */
export const dumpCommand = ['sh', '-c', 'exec pg_dump --format=custom --no-acl --no-owner --lock-wait-timeout=30s -U "${POSTGRES_USER:-postgres}" "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"'];

const dumpTimeoutMs = 6 * 60 * 60 * 1000;

export class BackupStore {
	constructor(private readonly directory: string) {}

	/** Takes a backup now and resolves when it is on disk and read back (completed) or has failed. */
	async take(host: ComposeHost, dbService: string, name?: string): Promise<ComposeBackup> {
		await mkdir(this.directory, {recursive: true, mode: 0o700});
		const started = new Date();
		const id = `${started.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
		const file = join(this.directory, `${id}.dump`);
		const base: ComposeBackup = {id, ...(name ? {name} : {}), status: 'in-progress', rawStatus: 'dumping', kind: 'dump', createdAt: started, file};
		await this.save(base);
		try {
			const {bytes, sha256} = await streamDump(host, dbService, `${file}.partial`);
			await chmod(`${file}.partial`, 0o600);
			await rename(`${file}.partial`, file);
			const listing = await listArchive(file);
			const done = {...base, sizeBytes: bytes, sha256, completedAt: new Date()};
			const result: ComposeBackup = listing.ok && listing.tables.length > 0
				? {...done, status: 'completed', rawStatus: 'completed', tables: listing.tables.length}
				: {...done, status: 'failed', rawStatus: 'unreadable', error: listing.ok ? 'the archive lists no tables' : listing.error ?? 'pg_restore cannot read the archive'};
			await this.save(result);
			return result;
		} catch (error) {
			await rm(`${file}.partial`, {force: true});
			const failed: ComposeBackup = {...base, status: 'failed', rawStatus: 'failed', completedAt: new Date(), error: (error as Error).message};
			await this.save(failed);
			return failed;
		}
	}

	/** Newest first. */
	async list(limit = 20): Promise<ComposeBackup[]> {
		const names = await readdir(this.directory).catch(() => [] as string[]);
		const backups = await Promise.all(names.filter(entry => entry.endsWith('.json')).map(async entry => this.read(entry.slice(0, -5))));
		return backups.filter(backup => backup !== undefined).sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0)).slice(0, limit);
	}

	async get(id: string): Promise<ComposeBackup | undefined> {
		return /^[\w-]+$/.test(id) ? this.read(id) : undefined;
	}

	private async read(id: string): Promise<ComposeBackup | undefined> {
		try {
			const {completedAt, createdAt, ...record} = JSON.parse(await readFile(join(this.directory, `${id}.json`), 'utf8')) as StoredBackup;
			return {...record, createdAt: new Date(createdAt), ...(completedAt ? {completedAt: new Date(completedAt)} : {})};
		} catch {
			return undefined;
		}
	}

	private async save(backup: ComposeBackup): Promise<void> {
		const path = join(this.directory, `${backup.id}.json`);
		await writeFile(`${path}.tmp`, `${JSON.stringify(backup, null, '\t')}\n`, {mode: 0o600});
		await rename(`${path}.tmp`, path);
	}
}

/** `docker compose exec -T <db> pg_dump -Fc …` with its stdout piped (with backpressure) into `partial`. */
async function streamDump(host: ComposeHost, dbService: string, partial: string): Promise<{bytes: number; sha256: string}> {
	const channel = await host.channel(['exec', '-T', dbService, ...dumpCommand]);
	let stderr = '';
	channel.stderr.on('data', (chunk: Buffer) => {
		if (stderr.length < 16_384) {
			stderr += chunk.toString('utf8');
		}
	});
	const exited = exitOf(channel, dumpTimeoutMs, 'pg_dump', host.name);
	const hash = createHash('sha256');
	let bytes = 0;
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			hash.update(chunk);
			bytes += chunk.length;
			callback(null, chunk);
		},
	});
	// pipe, not pipeline, for the channel: pipeline would destroy it at EOF, before its exit status arrives.
	const written = pipeline(counter, createWriteStream(partial, {mode: 0o600}));
	channel.on('error', (error: Error) => counter.destroy(error));
	channel.pipe(counter);
	await written;
	const code = await exited;
	if (code !== 0) {
		const said = toPlainText(stderr.trim().split('\n').slice(-3).join(' ')).replaceAll(/\s+/g, ' ').slice(0, 400);
		throw new Error(`pg_dump in the ${dbService} container on ${host.name} failed (exit ${code})${said ? `: ${said}` : ''}`);
	}

	return {bytes, sha256: hash.digest('hex')};
}
