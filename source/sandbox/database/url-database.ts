// The addon database on a server of the user's (`--database-url`): the URL's database is the addon's
// database and the URL's role its credentials. The sandbox never stops or changes that server.
import {mkdtempSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parse} from 'pg-connection-string';
import type {DatabaseConnection} from '../../core/database.js';
import {UsageError} from '../../core/errors.js';
import {connectionEnvironment} from './connection-environment.js';
import {withSession} from './pg-session.js';
import type {SandboxDatabase} from './sandbox-database.js';

const urlHint = 'Give a URL like postgres://USER:PASSWORD@HOST:PORT/DATABASE, or leave out --database-url for a cluster the sandbox runs itself.';

/** The connection a `postgres://` URL names; a UsageError (password masked) when it names none. */
export function parseDatabaseUrl(url: string): DatabaseConnection {
	if (!/^postgres(?:ql)?:\/\//i.test(url.trim())) {
		throw new UsageError('The database URL must start with postgres:// or postgresql://.', urlHint);
	}

	let parsed: ReturnType<typeof parse>;
	try {
		parsed = parse(url.trim(), {useLibpqCompat: true});
	} catch {
		throw new UsageError('The database URL is not a valid URL (check the port and any special characters in the password, which must be percent-encoded).', urlHint);
	}

	const masked = maskedUrl(parsed);
	const port = parsed.port ? Number(parsed.port) : 5432;
	const missing = [!parsed.host && 'a host', !parsed.database && 'a database name', !parsed.user && 'a user'].filter(Boolean);
	if (missing.length > 0) {
		throw new UsageError(`The database URL ${masked} lacks ${missing.join(', ')}.`, urlHint);
	}

	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new UsageError(`The database URL ${masked} has no valid port.`, urlHint);
	}

	const sslMode = typeof parsed.sslmode === 'string' ? parsed.sslmode : 'disable';
	return {
		host: parsed.host!,
		port,
		database: parsed.database!,
		user: parsed.user!,
		...(parsed.password ? {password: parsed.password} : {}),
		ssl: ['require', 'verify-ca', 'verify-full'].includes(sslMode) ? 'require' : 'disable',
		source: 'the sandbox\'s --database-url',
	};
}

/** Shown in messages: every part but the password. */
export function describeConnection(connection: DatabaseConnection): string {
	const host = connection.host.includes(':') ? `[${connection.host}]` : connection.host;
	return `postgres://${connection.user}${connection.password ? ':***' : ''}@${host}:${connection.port}/${connection.database}`;
}

function maskedUrl(parsed: ReturnType<typeof parse>): string {
	return `postgres://${parsed.user ?? ''}${parsed.password ? ':***' : ''}@${parsed.host ?? ''}${parsed.port ? `:${parsed.port}` : ''}/${parsed.database ?? ''}`;
}

export class UrlDatabase implements SandboxDatabase {
	readonly kind = 'url';
	private readonly addon: DatabaseConnection;
	private answered = false;
	private temporaryBackups: string | undefined;

	constructor(url: string, private readonly stateDir?: string) {
		this.addon = parseDatabaseUrl(url);
	}

	describe(): string {
		return describeConnection(this.addon);
	}

	async ready(): Promise<void> {
		if (this.answered) {
			return;
		}

		try {
			await withSession(this.addon, async client => client.query('select 1'));
			this.answered = true;
		} catch (error) {
			throw new UsageError(
				`The sandbox's database at ${this.describe()} does not answer (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
				'Check --database-url: the server must run and accept this role and password. Leave the option out for a cluster the sandbox runs itself.',
			);
		}
	}

	async connection(): Promise<DatabaseConnection> {
		await this.ready();
		return {...this.addon};
	}

	async adminConnection(): Promise<DatabaseConnection> {
		return this.connection();
	}

	async environment(): Promise<Record<string, string>> {
		return connectionEnvironment(await this.connection());
	}

	backupsDirectory(): string {
		if (this.stateDir !== undefined) {
			return path.join(this.stateDir, 'postgres', 'backups');
		}

		this.temporaryBackups ??= mkdtempSync(path.join(tmpdir(), 'wheelhouse-sandbox-backups-'));
		return this.temporaryBackups;
	}

	async close(): Promise<void> {
		if (this.temporaryBackups !== undefined) {
			await rm(this.temporaryBackups, {recursive: true, force: true});
		}
	}
}
