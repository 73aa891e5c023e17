// Turns the init context's command and shell into the argv to start (reference §5 "Shell and command
// semantics"): `shell: "none"` (or no shell) runs the command itself, `shell: "bash -c"` runs it in
// that shell, and no command at all opens an interactive shell, bash when there is one, else sh.
import {accessSync, constants, statSync} from 'node:fs';
import path from 'node:path';
import {badRequest} from '../api-error.js';
import type {ExecContext} from './client-frames.js';

export type LaunchPlan = {
	file: string;
	args: string[];
	/** An interactive shell (no command): it gets the sandbox prompt and, on a tty, the banner. */
	interactive: boolean;
	/** Which prompt syntax the shell understands. */
	promptStyle: 'bash' | 'posix';
};

export function launchPlan(context: ExecContext, searchPath: string): LaunchPlan {
	const shell = context.shell === undefined || context.shell.trim() === 'none' ? undefined : words(context.shell);
	if (shell?.length === 0) {
		throw badRequest('"context.shell" is empty: give a shell such as "bash -c", or "none"');
	}

	if (context.command !== undefined) {
		const argv = typeof context.command === 'string' ? words(context.command) : context.command;
		if (argv.length === 0 || argv[0] === '') {
			throw badRequest('"context.command" is empty');
		}

		if (!shell) {
			return {file: argv[0]!, args: argv.slice(1), interactive: false, promptStyle: 'posix'};
		}

		const script = typeof context.command === 'string' ? context.command : context.command.join(' ');
		const flags = shell.at(-1) === '-c' ? shell.slice(1) : [...shell.slice(1), '-c'];
		return {file: shell[0]!, args: [...flags, script], interactive: false, promptStyle: promptStyleOf(shell[0]!)};
	}

	if (shell?.includes('-c')) {
		throw badRequest(`The shell "${context.shell}" needs a command to run`);
	}

	const file = shell?.[0] ?? (findExecutable('bash', searchPath) ? 'bash' : 'sh');
	const args = shell?.slice(1) ?? [];
	const promptStyle = promptStyleOf(file);
	// The host's rc files would replace the sandbox prompt (Debian's /etc/bash.bashrc sets PS1).
	const bashFlags = promptStyle === 'bash' && args.length === 0 ? ['--norc', '--noprofile'] : [];
	return {file, args: [...bashFlags, ...(context.tty ? ['-i'] : []), ...args], interactive: true, promptStyle};
}

/** The executable `file` resolves to on `searchPath`, like execvp; undefined when there is none. */
export function findExecutable(file: string, searchPath: string): string | undefined {
	const candidates = file.includes('/') ? [file] : searchPath.split(path.delimiter).filter(Boolean).map(directory => path.join(directory, file));
	return candidates.find(candidate => {
		try {
			accessSync(candidate, constants.X_OK);
			return statSync(candidate).isFile();
		} catch {
			return false;
		}
	});
}

function promptStyleOf(file: string): 'bash' | 'posix' {
	return path.basename(file) === 'bash' ? 'bash' : 'posix';
}

function words(text: string): string[] {
	return text.trim().split(/\s+/).filter(Boolean);
}
