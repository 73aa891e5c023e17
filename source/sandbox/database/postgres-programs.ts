// Finding PostgreSQL's programs on this machine and running them. Debian keeps the server programs in
// /usr/lib/postgresql/<version>/bin, off the PATH; initdb and pg_ctl refuse to run as root, so as root
// they run as the `postgres` user (or `nobody`) through runuser.
import {execFile, type ExecFileException} from 'node:child_process';
import {accessSync, constants, readdirSync, realpathSync} from 'node:fs';
import {delimiter, dirname, join} from 'node:path';

export type ServerPrograms = {initdb: string; pgCtl: string};

export type ServerUser = {name: string; uid: number; gid: number};

/** initdb and pg_ctl of one installation (the same directory), or undefined when there are none. */
export function findServerPrograms(): ServerPrograms | undefined {
	const initdb = findProgram('initdb', [...pathDirectories(), ...debianPostgresDirectories()]);
	if (!initdb) {
		return undefined;
	}

	const pgCtl = findProgram('pg_ctl', [dirname(realpathSync(initdb)), dirname(initdb), ...pathDirectories(), ...debianPostgresDirectories()]);
	return pgCtl ? {initdb, pgCtl} : undefined;
}

/** A client program, newest installed version first: a newer pg_dump reads older servers, not the reverse. */
export function findClientProgram(program: 'pg_dump' | 'pg_restore'): string | undefined {
	return findProgram(program, [...debianPostgresDirectories(), ...pathDirectories()]);
}

/** The user the server runs as: undefined when we are not root (then it runs as us). */
export async function serverUser(): Promise<ServerUser | undefined> {
	if (process.getuid?.() !== 0) {
		return undefined;
	}

	for (const name of ['postgres', 'nobody']) {
		try {
			const uid = Number((await runProgram('id', ['-u', name])).stdout.trim());
			const gid = Number((await runProgram('id', ['-g', name])).stdout.trim());
			return {name, uid, gid};
		} catch {
			// No such user: try the next.
		}
	}

	throw new Error('initdb refuses to run as root, and there is neither a postgres nor a nobody user to run it as');
}

export type RunOptions = {asUser?: ServerUser; cwd?: string; signal?: AbortSignal};

/** Runs a program to its end; rejects with its stderr's last lines when it fails. */
export async function runProgram(program: string, args: string[], options: RunOptions = {}): Promise<{stdout: string; stderr: string}> {
	const [file, fileArgs] = commandAs(options.asUser, program, args);
	return new Promise((resolve, reject) => {
		execFile(file, fileArgs, {cwd: options.cwd, signal: options.signal, maxBuffer: 16 * 1024 * 1024}, (error: ExecFileException | null, stdout: string, stderr: string) => {
			if (error) {
				const detail = lastLines(stderr) || lastLines(stdout) || error.message;
				reject(new Error(`${programName(program)} failed: ${detail}`, {cause: error}));
				return;
			}

			resolve({stdout, stderr});
		});
	});
}

/** The command line that runs `program` as `user` (through runuser), or as us when there is no user. */
export function commandAs(user: ServerUser | undefined, program: string, args: string[]): [string, string[]] {
	// The system directories too: a minimal PATH (CI, cron) may leave out /usr/sbin, where runuser lives.
	return user
		? [findProgram('runuser', [...pathDirectories(), '/usr/sbin', '/sbin']) ?? 'runuser', ['-u', user.name, '--', program, ...args]]
		: [program, args];
}

export function lastLines(text: string, count = 3): string {
	return text.trim().split('\n').slice(-count).join(' / ').slice(0, 600);
}

function programName(program: string): string {
	return program.split('/').at(-1) ?? program;
}

function findProgram(program: string, directories: string[]): string | undefined {
	for (const directory of directories) {
		const path = join(directory, program);
		try {
			accessSync(path, constants.X_OK);
			return path;
		} catch {
			// Not in this directory.
		}
	}

	return undefined;
}

function pathDirectories(): string[] {
	return (process.env.PATH ?? '').split(delimiter).filter(directory => directory !== '');
}

function debianPostgresDirectories(): string[] {
	try {
		return readdirSync('/usr/lib/postgresql')
			.filter(version => /^\d+$/.test(version))
			.sort((a, b) => Number(b) - Number(a))
			.map(version => join('/usr/lib/postgresql', version, 'bin'));
	} catch {
		return [];
	}
}
