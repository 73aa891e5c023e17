// The environment a real job run's command gets: a clean, minimal one as in a container (PATH, HOME,
// LANG and what the image's Dockerfile sets), the addon database's connection variables (PG*,
// DATABASE_URL, and seed 000's POSTGRE_*), then the run's own `runtimeEnvironment` on top. Nothing of
// the sandbox's own environment leaks in.
import {accessSync, constants} from 'node:fs';
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {SandboxDatabase} from '../database/sandbox-database.js';

/** Debian's default PATH, what a python:3.12-slim container has. */
export const containerPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The image's `ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1` (see the build log's Dockerfile). */
const imageEnvironment = {PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1'};

export async function runEnvironment(options: {database?: SandboxDatabase; overrides: Record<string, string>; binDirectory?: string}): Promise<Record<string, string>> {
	const database = options.database ? await options.database.environment() : {};
	return {
		PATH: options.binDirectory === undefined ? containerPath : `${options.binDirectory}:${containerPath}`,
		HOME: tmpdir(),
		LANG: 'C.UTF-8',
		...imageEnvironment,
		...seed000Names(database),
		...database,
		...options.overrides,
	};
}

/** The names seed 000's template wires the addon into (`${refs.database.*}`), from libpq's. */
function seed000Names(database: Record<string, string>): Record<string, string> {
	if (database.PGHOST === undefined) {
		return {};
	}

	return {
		POSTGRE_HOST: database.PGHOST,
		POSTGRE_PORT: database.PGPORT ?? '',
		POSTGRE_DB: database.PGDATABASE ?? '',
		POSTGRE_USERNAME: database.PGUSER ?? '',
		POSTGRE_PASSWORD: database.PGPASSWORD ?? '',
	};
}

function onContainerPath(program: string): boolean {
	return containerPath.split(':').some(directory => {
		try {
			accessSync(path.join(directory, program), constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/**
 * Debian has `python3` but no `python`, while job commands say `python manage.py ...` as the image
 * would: when `python` is missing, a directory with a `python` that execs python3 goes first on PATH.
 */
export class PythonShim {
	private directory: Promise<string | undefined> | undefined;

	/** The directory to put first on PATH, or undefined when `python` already exists. */
	async binDirectory(): Promise<string | undefined> {
		this.directory ??= (async () => {
			if (onContainerPath('python') || !onContainerPath('python3')) {
				return undefined;
			}

			const directory = await mkdtemp(path.join(tmpdir(), 'wheelhouse-sandbox-bin-'));
			const shim = path.join(directory, 'python');
			await writeFile(shim, '#!/bin/sh\nexec python3 "$@"\n', 'utf8');
			await chmod(shim, 0o755);
			return directory;
		})();
		return this.directory;
	}

	async remove(): Promise<void> {
		const directory = await this.directory?.catch(() => undefined);
		if (directory !== undefined) {
			await rm(directory, {recursive: true, force: true});
		}
	}
}
