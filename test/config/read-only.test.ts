// Read-only and protected contexts through the built CLI and a real pseudo-terminal, against a real
// sandbox: commands that change something are refused (exit 2) naming the flag or the context; the
// console offers nothing mutating on a read-only context and asks for the name on a protected one.
import {readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {spawnInPty} from '../../bench/pty.mjs';
import {startSandbox, type SandboxHandle} from '../../source/sandbox/index.js';
import {emptyDirectory, runCli} from '../helpers/run-cli.js';
import {setupToken} from '../helpers/test-secrets.js';

const bin = new URL('../../bin/wheelhouse.js', import.meta.url).pathname;

/** `:` opens the palette on its own key press (the first time, its hint ` complete` shows); then the command is typed. */
async function palette(pty: ReturnType<typeof spawnInPty>, command: string, shows = `▸${command}`): Promise<void> {
	// The frame is written before the console's key handler sees the new state, and a loaded machine can
	// stretch that moment: a person would look, see the palette empty, and type again. So does this.
	for (let attempt = 1; ; attempt++) {
		pty.child.stdin!.write(':');
		await pty.waitFor(' complete');
		await new Promise(resolve => {
			setTimeout(resolve, 200 * attempt);
		});
		pty.child.stdin!.write(command);
		try {
			await pty.waitFor(shows, 3000);
			return;
		} catch (error) {
			if (attempt === 3) {
				throw error;
			}

			pty.child.stdin!.write('\u001B');
			await new Promise(resolve => {
				setTimeout(resolve, 500);
			});
		}
	}
}

const mutating: string[][] = [
	['release', 'notechondria-backend'],
	['rollback', 'notechondria-backend'],
	['backup', 'notechondria-postgres'],
	['restore', 'notechondria-postgres', 'some-backup'],
	['resume'],
	['exec', 'notechondria-backend', '--', 'true'],
];

function contextDirectory(sandbox: SandboxHandle, safety: Record<string, unknown>): string {
	const directory = emptyDirectory();
	writeFileSync(join(directory, 'config.json'), JSON.stringify({
		version: 2,
		current: 'prod',
		contexts: {prod: {platform: 'northflank', project: 'notechondria', url: sandbox.url, sandbox: true, tokenEnv: 'PROD_TOKEN', environment: 'production', ...safety}},
	}));
	return directory;
}

test('--read-only refuses every command that changes something, before connecting, with the way out', async t => {
	for (const argv of mutating) {
		// Before any `--`: what follows it is the remote command.
		const result = await runCli([argv[0]!, '--read-only', ...argv.slice(1)]);
		t.is(result.code, 2, `${argv.join(' ')}: ${result.stderr}`);
		t.regex(result.stderr, new RegExp(`^wheelhouse: wheelhouse ${argv[0]} .+, and --read-only forbids every change\\.\\n {2}Leave out --read-only`), argv.join(' '));
	}

	const plan = await runCli(['release', 'notechondria-backend', '--dry-run', '--read-only', '--sandbox-url', 'http://127.0.0.1:9']);
	t.notRegex(plan.stderr, /forbids every change/, 'a dry run changes nothing and is allowed');
});

test('a read-only context refuses them too, naming the context and the file; status still works and says read-only', async t => {
	const sandbox = await startSandbox({port: 0, token: setupToken, database: 'simulated'});
	t.teardown(async () => sandbox.close());
	const directory = contextDirectory(sandbox, {readOnly: true, protected: true});
	const env = {WHEELHOUSE_CONFIG_DIR: directory, PROD_TOKEN: setupToken};
	for (const argv of mutating) {
		const result = await runCli(argv, {env});
		t.is(result.code, 2, `${argv.join(' ')}: ${result.stderr}`);
		t.regex(result.stderr, /Context "prod" is read-only, and wheelhouse \w+ /, argv.join(' '));
		t.true(result.stderr.includes(`"readOnly": false for "prod" in ${join(directory, 'config.json')}`), result.stderr);
	}

	const status = await runCli(['status'], {env});
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, /^context prod \[SANDBOX\] \[PRODUCTION\] \(protected, read-only\)\s+project notechondria/m);
});

test('the console on a read-only production context shows both and offers no restart', async t => {
	const sandbox = await startSandbox({port: 0, token: setupToken, database: 'simulated'});
	t.teardown(async () => sandbox.close());
	const directory = contextDirectory(sandbox, {readOnly: true});
	const pty = spawnInPty([process.execPath, bin], {columns: 80, rows: 24, env: {WHEELHOUSE_CONFIG_DIR: directory, PROD_TOKEN: setupToken}});
	t.teardown(async () => pty.stop());
	await pty.waitFor('notechondria-backend');
	t.true(pty.output().includes(' PRODUCTION '));
	t.true(pty.output().includes('read-only'));
	await palette(pty, 'restart', 'no such command');
	pty.child.stdin!.write('\u001B');
});

test('the console on a protected context restarts only after the context name is typed', async t => {
	const sandbox = await startSandbox({port: 0, token: setupToken, database: 'simulated'});
	t.teardown(async () => sandbox.close());
	const directory = contextDirectory(sandbox, {protected: true});
	const pty = spawnInPty([process.execPath, bin], {columns: 80, rows: 24, env: {WHEELHOUSE_CONFIG_DIR: directory, PROD_TOKEN: setupToken}});
	t.teardown(async () => pty.stop());
	await pty.waitFor('notechondria-backend');
	await palette(pty, 'restart');
	await pty.waitFor('▸restart');
	pty.child.stdin!.write('\r');
	await pty.waitFor('Type prod to confirm');
	pty.child.stdin!.write('y\r');
	await pty.waitFor('That is not the context\'s name; nothing was done.');
	// ctrl-u on its own key press clears what was typed; then the name, and enter.
	pty.child.stdin!.write('\u0015');
	await new Promise(resolve => {
		setTimeout(resolve, 300);
	});
	pty.child.stdin!.write('prod\r');
	await pty.waitFor('Restart requested for notechondria-backend');
	t.true(pty.output().includes('Type prod to confirm'));
});

test('the first screen without contexts offers setup; S opens it and ctrl-c leaves without saving', async t => {
	const directory = emptyDirectory();
	const pty = spawnInPty([process.execPath, bin], {columns: 80, rows: 24, env: {WHEELHOUSE_CONFIG_DIR: directory}});
	await pty.waitFor('Press S to set one up (guided).');
	pty.child.stdin!.write('S');
	await pty.waitFor('Which platform runs your deployment?');
	// The wizard's first frame can be drawn a moment before it reads keys (raw mode): give it that moment.
	await new Promise(resolve => {
		setTimeout(resolve, 500);
	});
	pty.child.stdin!.write('\u0003');
	t.is(await pty.exited(), 1);
	t.true(pty.output().includes('setup left; nothing was saved.'));
	t.deepEqual(readdirSync(directory), []);
});
