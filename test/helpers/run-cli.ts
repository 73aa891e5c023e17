import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const bin = new URL('../../bin/wheelhouse.js', import.meta.url).pathname;

export type CliResult = {code: number | null; stdout: string; stderr: string};

/** Runs the built console (bin/wheelhouse.js → dist/) as a user would, with stdin closed. */
export async function runCli(args: string[], options: {env?: Record<string, string | undefined>; timeoutMs?: number} = {}): Promise<CliResult> {
	const child = spawn(process.execPath, [bin, ...args], {
		env: {...process.env, WHEELHOUSE_CONFIG_DIR: emptyDirectory(), NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => {
		stdout += chunk;
	});
	child.stderr.on('data', chunk => {
		stderr += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	clearTimeout(timer);
	return {code, stdout, stderr};
}

export function emptyDirectory(): string {
	return mkdtempSync(join(tmpdir(), 'wheelhouse-test-'));
}
