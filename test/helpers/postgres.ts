import {execFile} from 'node:child_process';
import {accessSync, constants, readdirSync} from 'node:fs';
import {chown, writeFile} from 'node:fs/promises';
import {delimiter, join} from 'node:path';
import {promisify} from 'node:util';
import {freePort, makeTempDir, removeTempDir} from './sshd.js';

const run = promisify(execFile);

export type PostgresServer = {
	host: '127.0.0.1';
	port: number;
	user: 'postgres';
	database: string;
	stop(): Promise<void>;
};

/**
 * A throwaway PostgreSQL: initdb into a temp dir, pg_ctl start on a free loopback port (its unix
 * socket in the same dir), trust authentication, one database. initdb refuses to run as root, so as
 * root the server runs as the `postgres` user (or `nobody`) through runuser, in a dir it owns.
 */
export async function startPostgres(options: {database?: string} = {}): Promise<PostgresServer> {
	const dir = await makeTempDir('postgres');
	const dataDir = join(dir, 'data');
	const database = options.database ?? 'wheelhouse_test';
	const asUser = await serverUser();
	if (asUser) {
		await chown(dir, asUser.uid, asUser.gid);
	}

	const runAsServerUser = async (program: string, args: string[]): Promise<string> => {
		const path = findProgram(program);
		const {stdout} = asUser
			? await run(findProgram('runuser'), ['-u', asUser.name, '--', path, ...args], {cwd: dir})
			: await run(path, args, {cwd: dir});
		return stdout;
	};

	try {
		await runAsServerUser('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-locale', '-E', 'UTF8']);
		const port = await freePort();
		const logFile = join(dir, 'postgres.log');
		await writeFile(logFile, '');
		if (asUser) {
			await chown(logFile, asUser.uid, asUser.gid);
		}

		const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
		await runAsServerUser('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', logFile, '-w', '-t', '30', 'start']);
		await run(findProgram('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', `create database ${database}`]);
		return {
			host: '127.0.0.1',
			port,
			user: 'postgres',
			database,
			async stop() {
				await runAsServerUser('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
				await removeTempDir(dir);
			},
		};
	} catch (error) {
		await runAsServerUser('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
		await removeTempDir(dir);
		throw error;
	}
}

async function serverUser(): Promise<{name: string; uid: number; gid: number} | undefined> {
	if (process.getuid?.() !== 0) {
		return undefined;
	}

	for (const name of ['postgres', 'nobody']) {
		try {
			const {stdout} = await run('id', ['-u', name]);
			const {stdout: group} = await run('id', ['-g', name]);
			return {name, uid: Number(stdout.trim()), gid: Number(group.trim())};
		} catch {
			// No such user: try the next.
		}
	}

	throw new Error('initdb refuses to run as root, and there is neither a postgres nor a nobody user to run it as.');
}

/** The absolute path of a program on the PATH or in Debian's PostgreSQL dirs (runuser does not search the caller's PATH). */
function findProgram(program: string): string {
	// The system directories too: a minimal PATH (CI, cron) may leave out /usr/sbin, where runuser lives.
	for (const directory of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', ...debianPostgresDirectories()]) {
		const path = join(directory, program);
		try {
			accessSync(path, constants.X_OK);
			return path;
		} catch {
			// Not in this directory.
		}
	}

	throw new Error(`${program} is not on the PATH: install PostgreSQL's server and client programs.`);
}

function debianPostgresDirectories(): string[] {
	try {
		return readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map(version => join('/usr/lib/postgresql', version, 'bin'));
	} catch {
		return [];
	}
}
