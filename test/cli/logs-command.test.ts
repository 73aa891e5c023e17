import {spawn} from 'node:child_process';
import test from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {lineSequence} from '../../source/sandbox/logs/sequence.js';
import {emptyDirectory, runCli} from '../helpers/run-cli.js';

const bin = new URL('../../bin/wheelhouse.js', import.meta.url).pathname;
const controls = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;

test('logs prints the window as plain text to a pipe, every escape removed, in order', async t => {
	const sandbox = await startSandbox({port: 0, logRate: 300});
	t.teardown(async () => sandbox.close());
	const result = await runCli(['logs', 'notechondria-backend', '--since', '20s', '--sandbox-url', sandbox.url]);
	t.is(result.code, 0, result.stderr);
	const lines = result.stdout.trimEnd().split('\n');
	t.true(lines.length > 1000, `${lines.length} lines`);
	t.false(lines.some(line => controls.test(line) || line.includes('\u001B')), 'no control characters reach the pipe');
	const sequences = lines.map(line => lineSequence(line)).filter((seq): seq is number => seq !== undefined);
	t.true(sequences.every((seq, index) => index === 0 || seq === sequences[index - 1]! + 1), 'one container, contiguous: nothing lost or repeated across pages');
});

test('logs --json gives one object a line; --grep keeps the matching lines', async t => {
	const sandbox = await startSandbox({port: 0, logRate: 100});
	t.teardown(async () => sandbox.close());
	const json = await runCli(['logs', 'notechondria-backend', '--since', '30s', '--json', '--sandbox-url', sandbox.url]);
	t.is(json.code, 0, json.stderr);
	const objects = json.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {source: string; container: string; timestamp: string; text: string});
	t.true(objects.length > 100);
	t.like(objects[0], {source: 'notechondria-backend'});
	t.regex(objects[0]!.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);

	const grep = await runCli(['logs', 'notechondria-backend', '--since', '30s', '--grep', 'GET /api/health/', '--sandbox-url', sandbox.url]);
	t.is(grep.code, 0, grep.stderr);
	const matching = grep.stdout.trimEnd().split('\n');
	t.true(matching.length > 0 && matching.every(line => line.includes('GET /api/health/')));
});

test('logs of a job and an addon by name', async t => {
	const sandbox = await startSandbox({port: 0});
	t.teardown(async () => sandbox.close());
	for (const [target, since] of [['notechondria-postgres', '2h'], ['notechondria-migrate', '3d']] as const) {
		 
		const result = await runCli(['logs', target, '--since', since, '--sandbox-url', sandbox.url]);
		t.is(result.code, 0, `${target}: ${result.stderr}`);
		t.true(result.stdout.length > 0, `${target} has lines`);
	}
});

test('an unknown target names the known ones and exits 2', async t => {
	const result = await runCli(['logs', 'nope', '--sandbox']);
	t.is(result.code, 2);
	t.regex(result.stderr, /No service, job or addon named "nope"/);
	t.regex(result.stderr, /notechondria-backend/);
});

test('logs --follow keeps printing through dropped connections and stops cleanly on SIGINT', async t => {
	const sandbox = await startSandbox({port: 0, logRate: 500});
	t.teardown(async () => sandbox.close());
	const child = spawn(process.execPath, [bin, 'logs', 'notechondria-backend', '--follow', '--sandbox-url', sandbox.url], {env: {...process.env, WHEELHOUSE_CONFIG_DIR: emptyDirectory()}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	child.stdout.on('data', chunk => {
		stdout += chunk;
	});
	for (let drop = 0; drop < 10; drop++) {
		 
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
		sandbox.dropWebSockets();
	}

	await new Promise(resolve => {
		setTimeout(resolve, 400);
	});
	child.kill('SIGINT');
	const code = await new Promise(resolve => {
		child.on('close', resolve);
	});
	t.is(code, 0);
	const sequences = stdout.trimEnd().split('\n').map(line => lineSequence(line)).filter((seq): seq is number => seq !== undefined);
	t.true(sequences.length > 500, `${sequences.length} lines`);
	t.true(sequences.every((seq, index) => index === 0 || seq === sequences[index - 1]! + 1), 'contiguous across 10 drops');
});
