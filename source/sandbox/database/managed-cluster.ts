// A PostgreSQL cluster the sandbox runs itself: initdb once, pg_ctl start on a free loopback port with
// its unix socket in a directory of its own, then the addon's role and database. It lives in
// <stateDir>/postgres (kept across restarts) or in a temp dir removed on close.
//
// A watchdog shell holds a pipe from the sandbox: when the pipe closes — close(), or the sandbox dying
// without one — it stops the server and removes the temp dirs, so no cluster outlives its sandbox.
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync} from 'node:fs';
import {chmod, chown, mkdir, readFile, rm} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {DatabaseConnection} from '../../core/database.js';
import {UsageError} from '../../core/errors.js';
import {connectionEnvironment} from './connection-environment.js';
import {withSession} from './pg-session.js';
import {commandAs, findServerPrograms, lastLines, runProgram, serverUser, type ServerPrograms, type ServerUser} from './postgres-programs.js';
import type {SandboxDatabase} from './sandbox-database.js';
import {scramSha256Verifier} from './scram-verifier.js';

/** The addon's role and database on the managed cluster. */
export const addonRole = 'notechondria';
export const addonDatabaseName = 'notechondria';
const superuser = 'postgres';

export const missingServerPrograms = () => new UsageError(
	'The sandbox\'s database needs PostgreSQL server binaries (initdb, pg_ctl), which are not installed.',
	'Install PostgreSQL (apt-get install postgresql) or start the sandbox with --database-url URL.',
);

/** A password for the addon role: URL-safe, no SASLprep needed. */
export function generatePassword(): string {
	return randomBytes(24).toString('base64url');
}

type Started = {port: number};

export class ManagedCluster implements SandboxDatabase {
	readonly kind = 'managed';
	private readonly root: string;
	private readonly temporary: boolean;
	private readonly socketDir: string;
	private readonly password: string;
	private readonly abort = new AbortController();
	private readonly starting: Promise<Started>;
	private watchdog: ChildProcess | undefined;
	private closing: Promise<void> | undefined;

	constructor(options: {stateDir?: string; password?: string} = {}) {
		this.temporary = options.stateDir === undefined;
		this.root = options.stateDir === undefined ? mkdtempSync(path.join(tmpdir(), 'wheelhouse-sandbox-db-')) : path.resolve(options.stateDir, 'postgres');
		this.socketDir = mkdtempSync(path.join(tmpdir(), 'wheelhouse-pgsock-'));
		this.password = options.password ?? generatePassword();
		this.starting = this.start();
		// Whoever needs the database awaits ready(); an early failure is theirs to report, not a crash.
		this.starting.catch(() => undefined);
	}

	describe(): string {
		return `a PostgreSQL cluster the sandbox runs in ${this.root}`;
	}

	async ready(): Promise<void> {
		await this.starting;
	}

	async connection(): Promise<DatabaseConnection> {
		const {port} = await this.starting;
		return {host: '127.0.0.1', port, database: addonDatabaseName, user: addonRole, password: this.password, ssl: 'disable', source: 'the sandbox addon\'s credentials'};
	}

	async adminConnection(): Promise<DatabaseConnection> {
		const {port} = await this.starting;
		return this.superuserConnection(port);
	}

	async environment(): Promise<Record<string, string>> {
		return connectionEnvironment(await this.connection());
	}

	backupsDirectory(): string {
		return path.join(this.root, 'backups');
	}

	async close(): Promise<void> {
		this.closing ??= (async () => {
			this.abort.abort();
			await this.starting.catch(() => undefined);
			await this.stopWatchdog();
			await rm(this.socketDir, {recursive: true, force: true});
			if (this.temporary) {
				await rm(this.root, {recursive: true, force: true});
			}
		})();
		return this.closing;
	}

	private get dataDir(): string {
		return path.join(this.root, 'data');
	}

	private get logFile(): string {
		return path.join(this.root, 'postgres.log');
	}

	private async start(): Promise<Started> {
		const programs = findServerPrograms();
		if (!programs) {
			throw missingServerPrograms();
		}

		try {
			const user = await serverUser();
			await this.prepareDirectories(user);
			await checkReachable(user, this.root);
			this.checkOpen();
			this.watchdog = startWatchdog(user, programs.pgCtl, this.dataDir, this.temporary ? [this.socketDir, this.root] : [this.socketDir]);
			const run = async (program: string, args: string[]) => runProgram(program, args, {asUser: user, cwd: this.root, signal: this.abort.signal});
			if (existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
				await stopLeftoverServer(run, programs, this.dataDir);
			} else {
				await run(programs.initdb, ['-D', this.dataDir, '-U', superuser, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--no-locale', '-E', 'UTF8']);
			}

			const port = await this.startServer(run, programs);
			this.checkOpen();
			await this.createAddonRoleAndDatabase(port);
			return {port};
		} catch (error) {
			if (this.abort.signal.aborted) {
				throw new UsageError('The sandbox closed before its database was ready.', 'Start the sandbox again.');
			}

			if (error instanceof UsageError) {
				throw error;
			}

			throw new UsageError(
				`The sandbox's database could not start: ${(error as Error).message}`,
				`See ${this.logFile}. With --state DIR, the ${process.getuid?.() === 0 ? 'postgres user' : 'sandbox'} must be able to reach DIR. Or start the sandbox with --database-url URL.`,
			);
		}
	}

	private async prepareDirectories(user: ServerUser | undefined): Promise<void> {
		await mkdir(this.dataDir, {recursive: true, mode: 0o700});
		await mkdir(this.backupsDirectory(), {recursive: true});
		if (user) {
			for (const directory of [this.root, this.dataDir, this.backupsDirectory(), this.socketDir]) {
				 
				await chown(directory, user.uid, user.gid);
			}
		}

		// PostgreSQL refuses a data directory others can read.
		await chmod(this.dataDir, 0o700);
	}

	/** pg_ctl start on a free port; another process may take the port first, so a few tries. */
	private async startServer(run: (program: string, args: string[]) => Promise<unknown>, programs: ServerPrograms): Promise<number> {
		const speed = this.temporary ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : [];
		for (let attempt = 1; ; attempt++) {
			 
			const port = await freePort();
			const serverOptions = [`-p ${port}`, `-k ${shellQuote(this.socketDir)}`, '-c listen_addresses=127.0.0.1', '-c unix_socket_permissions=0700', ...speed].join(' ');
			try {
				 
				await run(programs.pgCtl, ['-D', this.dataDir, '-o', serverOptions, '-l', this.logFile, '-w', '-t', '60', 'start']);
				return port;
			} catch (error) {
				 
				const log = await readFile(this.logFile, 'utf8').catch(() => '');
				const portTaken = /already in use|could not create any TCP\/IP sockets/i.test(log.slice(-2000));
				if (!portTaken || attempt >= 3) {
					throw new Error(`${(error as Error).message}${log ? ` (log: ${lastLines(log, 2)})` : ''}`, {cause: error});
				}
			}
		}
	}

	private async createAddonRoleAndDatabase(port: number): Promise<void> {
		await withSession(this.superuserConnection(port), async client => {
			const role = await client.query('select 1 from pg_roles where rolname = $1', [addonRole]);
			if (role.rowCount === 0) {
				await client.query(`create role ${addonRole} login createdb`);
			}

			// A verifier, not the password: the secret never reaches the server's log.
			await client.query(`alter role ${addonRole} with login createdb password '${scramSha256Verifier(this.password)}'`);
			const database = await client.query('select 1 from pg_database where datname = $1', [addonDatabaseName]);
			if (database.rowCount === 0) {
				await client.query(`create database ${addonDatabaseName} owner ${addonRole}`);
			}
		});
	}

	private superuserConnection(port: number): DatabaseConnection {
		return {host: this.socketDir, port, database: 'postgres', user: superuser, ssl: 'disable', source: 'the sandbox cluster\'s superuser'};
	}

	private checkOpen(): void {
		if (this.abort.signal.aborted) {
			throw new Error('closed');
		}
	}

	private async stopWatchdog(): Promise<void> {
		const {watchdog} = this;
		if (!watchdog) {
			return;
		}

		if (watchdog.exitCode === null && watchdog.signalCode === null) {
			const exited = new Promise<void>(resolve => {
				watchdog.once('exit', () => resolve());
			});
			// Kept alive while close() waits for it; otherwise it never holds the process.
			watchdog.ref();
			watchdog.stdin?.end();
			await Promise.race([exited, new Promise<void>(resolve => {
				setTimeout(resolve, 40_000).unref();
			})]);
		}
	}
}

/**
 * Waits for its stdin to close, then stops the server and removes `removals`. It is unref'd: it never
 * keeps the sandbox's process alive, and it outlives that process when it dies.
 */
function startWatchdog(user: ServerUser | undefined, pgCtl: string, dataDir: string, removals: string[]): ChildProcess {
	// Ignores the terminal's hang-up and interrupt, and runs in its own session: closing the terminal or
	// ctrl-c kills the console's whole process group, and the watchdog must outlive it to clean up.
	const script = 'trap "" HUP INT TERM; read -r _ignored || :; "$1" -D "$2" -m fast -w -t 30 stop >/dev/null 2>&1; shift 2; [ "$#" -eq 0 ] || rm -rf -- "$@"';
	const [file, args] = commandAs(user, '/bin/sh', ['-c', script, 'wheelhouse-sandbox-db-watchdog', pgCtl, dataDir, ...removals]);
	const watchdog = spawn(file, args, {cwd: '/', stdio: ['pipe', 'ignore', 'ignore'], detached: true});
	watchdog.on('error', () => undefined);
	watchdog.stdin?.on('error', () => undefined);
	watchdog.unref();
	(watchdog.stdin as unknown as {unref?: () => void} | null)?.unref?.();
	return watchdog;
}

/** initdb and the server run as `user`, who must be able to enter every directory down to the cluster. */
async function checkReachable(user: ServerUser | undefined, directory: string): Promise<void> {
	if (!user) {
		return;
	}

	try {
		await runProgram('/bin/sh', ['-c', 'test -x "$1" && test -w "$1"', 'sh', directory], {asUser: user});
	} catch {
		throw new UsageError(
			`The sandbox's database runs as the ${user.name} user (PostgreSQL refuses root), who cannot reach ${directory}.`,
			`Let it through (chmod o+x on the --state DIR and each directory above it), choose a --state DIR under /tmp or /var/tmp, or start the sandbox with --database-url URL.`,
		);
	}
}

/** A server left running by a sandbox that died without its watchdog: stop it, then start afresh. */
async function stopLeftoverServer(run: (program: string, args: string[]) => Promise<unknown>, programs: ServerPrograms, dataDir: string): Promise<void> {
	const running = await run(programs.pgCtl, ['-D', dataDir, 'status']).then(() => true, () => false);
	if (running) {
		await run(programs.pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
	}
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
	});
}

/** pg_ctl hands `-o` to a shell. */
function shellQuote(text: string): string {
	return `'${text.replaceAll('\'', String.raw`'\''`)}'`;
}
