// Restoring a local backup archive over a Compose host's database: the archive is streamed over SSH into
// `pg_restore --clean --if-exists --no-owner` in the database container. Destructive: it replaces the
// objects the archive holds. Each restore is recorded as <backup directory>/restores/<id>.json.
import {randomBytes} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Restore} from '../../core/database.js';
import {toPlainText} from '../../infra/sanitize.js';
import {exitOf, type ComposeHost} from './host.js';

/** pg_restore in the container, as the image's own superuser, into its own database, in one transaction. */
export const restoreCommand = ['sh', '-c', 'exec pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction -U "${POSTGRES_USER:-postgres}" -d "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"'];

const restoreTimeoutMs = 6 * 60 * 60 * 1000;

type StoredRestore = {id: string; backupId: string; status: Restore['status']; rawStatus: string; startedAt: string; completedAt?: string; pid: number; error?: string};

export class RestoreStore {
	private readonly directory: string;

	constructor(backupDirectory: string) {
		this.directory = join(backupDirectory, 'restores');
	}

	/** Streams the archive into pg_restore and resolves when it has ended (the record says how). */
	async restore(host: ComposeHost, dbService: string, backupId: string, archive: string): Promise<Restore> {
		await mkdir(this.directory, {recursive: true, mode: 0o700});
		const startedAt = new Date();
		const id = `restore-${startedAt.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
		const base: StoredRestore = {id, backupId, status: 'in-progress', rawStatus: 'restoring', startedAt: startedAt.toISOString(), pid: process.pid};
		await this.save(base);
		try {
			await streamRestore(host, dbService, archive);
			await this.save({...base, status: 'completed', rawStatus: 'completed', completedAt: new Date().toISOString()});
		} catch (error) {
			await this.save({...base, status: 'failed', rawStatus: 'failed', completedAt: new Date().toISOString(), error: (error as Error).message});
		}

		return (await this.read(id))!;
	}

	/** Newest first; one left in progress by a process that is gone is `unknown`. */
	async list(limit = 20): Promise<Restore[]> {
		const names = await readdir(this.directory).catch(() => [] as string[]);
		const restores = await Promise.all(names.filter(name => name.endsWith('.json')).map(async name => this.read(name.slice(0, -5))));
		return restores.filter(restore => restore !== undefined).sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0)).slice(0, limit);
	}

	private async read(id: string): Promise<Restore | undefined> {
		try {
			const stored = JSON.parse(await readFile(join(this.directory, `${id}.json`), 'utf8')) as StoredRestore;
			const orphaned = stored.status === 'in-progress' && stored.pid !== process.pid && !processAlive(stored.pid);
			return {
				id: stored.id,
				backupId: stored.backupId,
				status: orphaned ? 'unknown' : stored.status,
				rawStatus: orphaned ? 'interrupted (the console restoring it is gone): check the database' : stored.error ? `${stored.rawStatus}: ${stored.error}` : stored.rawStatus,
				startedAt: new Date(stored.startedAt),
				...(stored.completedAt ? {completedAt: new Date(stored.completedAt)} : {}),
			};
		} catch {
			return undefined;
		}
	}

	private async save(restore: StoredRestore): Promise<void> {
		const path = join(this.directory, `${restore.id}.json`);
		await writeFile(`${path}.tmp`, `${JSON.stringify(restore, null, '\t')}\n`, {mode: 0o600});
		await rename(`${path}.tmp`, path);
	}
}

/** `docker compose exec -T <db> pg_restore …` with the archive piped into its stdin. */
async function streamRestore(host: ComposeHost, dbService: string, archive: string): Promise<void> {
	const channel = await host.channel(['exec', '-T', dbService, ...restoreCommand]);
	let stderr = '';
	channel.stderr.on('data', (chunk: Buffer) => {
		if (stderr.length < 16_384) {
			stderr += chunk.toString('utf8');
		}
	});
	channel.on('data', () => undefined);
	const exited = exitOf(channel, restoreTimeoutMs, 'pg_restore', host.name);
	const input = createReadStream(archive);
	input.on('error', () => channel.close());
	input.pipe(channel);
	const code = await exited;
	if (code !== 0) {
		const said = toPlainText(stderr.trim().split('\n').slice(-3).join(' ')).replaceAll(/\s+/g, ' ').slice(0, 400);
		throw new Error(`pg_restore in the ${dbService} container on ${host.name} failed (exit ${code})${said ? `: ${said}` : ''}`);
	}
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
