import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {captureOutput} from './capture.js';

const bin = new URL('../../bin/wheelhouse.js', import.meta.url).pathname;

export type CliResult = {code: number | null; stdout: string; stderr: string};

/** Runs the built console (bin/wheelhouse.js → dist/) as a user would: stdin closed, or fed `input`. */
export async function runCli(args: string[], options: {env?: Record<string, string | undefined>; timeoutMs?: number; input?: string} = {}): Promise<CliResult> {
	const child = spawn(process.execPath, [bin, ...args], {
		env: {...process.env, WHEELHOUSE_CONFIG_DIR: emptyDirectory(), NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env},
		stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
	});
	if (options.input !== undefined) {
		child.stdin!.end(options.input);
	}

	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', chunk => {
		stdout += chunk;
	});
	child.stderr!.on('data', chunk => {
		stderr += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	clearTimeout(timer);
	// Every output is kept for the secrets grep that follows the suite (scripts/grep-secrets.mjs).
	captureOutput(`wheelhouse ${args.join(' ')} → ${code}`, `${stdout}\n----- stderr\n${stderr}`);
	return {code, stdout, stderr};
}

export function emptyDirectory(): string {
	return mkdtempSync(join(tmpdir(), 'wheelhouse-test-'));
}
