// pg_dump or pg_restore as a child process of the sandbox, reaching the addon database through the
// PG* environment (the password never goes on a command line, where `ps` would show it).
import {spawn} from 'node:child_process';
import type {DatabaseConnection} from '../../core/database.js';
import {libpqEnvironment, withoutInheritedLibpq} from './connection-environment.js';
import {findClientProgram, lastLines} from './postgres-programs.js';

export type ToolOutcome = {ok: true} | {ok: false; reason: string};

export type PgToolRun = {
	readonly finished: Promise<ToolOutcome>;
	/** Ends the process (the sandbox is closing); `finished` then reports it killed. */
	kill(): void;
};

const stderrKeptBytes = 4096;

export function runPgTool(program: 'pg_dump' | 'pg_restore', args: string[], connection: DatabaseConnection): PgToolRun {
	const path = findClientProgram(program);
	if (!path) {
		return {
			finished: Promise.resolve({ok: false, reason: `${program} is not installed (apt-get install postgresql-client)`}),
			kill() {
				// Nothing runs.
			},
		};
	}

	const child = spawn(path, args, {
		env: {...withoutInheritedLibpq(process.env), ...libpqEnvironment(connection)},
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-stderrKeptBytes);
	});
	const finished = new Promise<ToolOutcome>(resolve => {
		child.once('error', error => {
			resolve({ok: false, reason: `${program} could not start (${(error as NodeJS.ErrnoException).code ?? error.message})`});
		});
		child.once('close', (code, signal) => {
			if (code === 0) {
				resolve({ok: true});
				return;
			}

			const how = signal ? `was killed (${signal})` : `exited with code ${code ?? '?'}`;
			const detail = redacted(lastLines(stderr), connection.password);
			resolve({ok: false, reason: `${program} ${how}${detail ? `: ${detail}` : ''}`});
		});
	});
	return {
		finished,
		kill() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}
		},
	};
}

function redacted(text: string, secret: string | undefined): string {
	return secret ? text.split(secret).join('***') : text;
}
