// Kills a running `wheelhouse release` at a chosen point of its journal, then resumes it: the proof
// that a run survives kill -9 anywhere without repeating or skipping an effect.
import {spawn} from 'node:child_process';
import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Journal} from '../../source/runbooks/types.js';
import {captureOutput} from './capture.js';
import {runCli, type CliResult} from './run-cli.js';

const bin = new URL('../../bin/wheelhouse.js', import.meta.url).pathname;

/** After a step succeeded (a boundary), or while it runs with its platform handle saved (mid-step). */
export type KillPoint = {step: string; when: 'after' | 'during'};

export function reached(journal: Journal, point: KillPoint): boolean {
	const step = journal.steps.find(candidate => candidate.id === point.step);
	if (!step) {
		return false;
	}

	if (point.when === 'after') {
		return step.status === 'succeeded';
	}

	return step.status === 'running' && (point.step === 'health' || Object.keys(step.handles ?? {}).length > 0);
}

async function readJournal(stateDir: string): Promise<Journal | undefined> {
	const files = await readdir(join(stateDir, 'runs')).catch(() => []);
	const file = files.find(name => name.endsWith('.json'));
	if (!file) {
		return undefined;
	}

	try {
		return JSON.parse(await readFile(join(stateDir, 'runs', file), 'utf8')) as Journal;
	} catch {
		return undefined;
	}
}

/** Starts the release, SIGKILLs it once the journal shows `point`; resolves the journal as it was then. */
export async function releaseUntilKilled(args: string[], env: Record<string, string>, stateDir: string, point: KillPoint): Promise<{journal: Journal; output: string}> {
	const child = spawn(process.execPath, [bin, ...args], {env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', chunk => {
		output += chunk;
	});
	child.stderr.on('data', chunk => {
		output += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	let finished = false;
	void exited.then(() => {
		finished = true;
	});
	const deadline = Date.now() + 120_000;
	try {
		while (!finished && Date.now() < deadline) {
			const journal = await readJournal(stateDir);
			if (journal && reached(journal, point)) {
				child.kill('SIGKILL');
				await exited;
				captureOutput(`killed at ${point.when} ${point.step}`, output);
				return {journal, output};
			}

			await new Promise(resolve => setTimeout(resolve, 20));
		}
	} finally {
		child.kill('SIGKILL');
	}

	throw new Error(`The release ${finished ? 'ended' : 'ran for 2 minutes'} without reaching ${point.when} ${point.step}:\n${output}`);
}

export async function resume(args: string[], env: Record<string, string>): Promise<CliResult> {
	return runCli(['resume', ...args], {env, timeoutMs: 150_000});
}
