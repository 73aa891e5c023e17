// Read-only mode on the command line: commands that change something are refused before anything
// connects, naming the flag or the context that forbids it and the way out. (The console leaves
// them out of its keys and palette instead.)
import {existsSync} from 'node:fs';
import {UsageError} from '../core/errors.js';
import {configFilePath} from '../infra/config-path.js';
import type {Invocation} from './args.js';

const changes: Record<string, string> = {
	exec: 'opens a shell or runs a command in the deployment, which can change anything',
	release: 'deploys a build (and migrates the database)',
	rollback: 'redeploys an earlier build',
	backup: 'starts a backup of the database',
	restore: 'overwrites the database with a backup',
	resume: 'continues a runbook that changes the deployment',
};

/** Throws a UsageError (exit 2) when the invocation would change something and read-only forbids it. */
export async function refuseWhenReadOnly(invocation: Invocation): Promise<void> {
	const what = changes[invocation.command];
	if (!what || !('globals' in invocation) || ('run' in invocation && invocation.run.dryRun)) {
		return;
	}

	const {command, globals} = invocation;
	const dryRun = 'run' in invocation && command !== 'resume' ? `, or see the plan without changing anything: \`wheelhouse ${command} … --dry-run\`` : '';
	if (globals.readOnly) {
		throw new UsageError(`wheelhouse ${command} ${what}, and --read-only forbids every change.`, `Leave out --read-only to ${command}${dryRun}.`);
	}

	if (globals.sandbox || globals.sandboxUrl || (globals.context === undefined && !existsSync(configFilePath()))) {
		return;
	}

	const [{loadConfig}, {chooseContextName}] = await Promise.all([import('../infra/config.js'), import('./connect.js')]);
	const config = loadConfig();
	if (globals.context === undefined && Object.keys(config.contexts).length === 0) {
		return;
	}

	const name = chooseContextName(globals, config);
	if (config.contexts[name]?.readOnly) {
		throw new UsageError(`Context "${name}" is read-only, and wheelhouse ${command} ${what}.`, `Use a context that may change things (--context NAME), or set "readOnly": false for "${name}" in ${config.path}${dryRun}.`);
	}
}
