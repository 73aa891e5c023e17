import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {emptyDirectory, runCli} from '../helpers/run-cli.js';

test('status with no context runs on the in-process sandbox and prints plain tables', async t => {
	const result = await runCli(['status']);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /context sandbox \[SANDBOX\]\s+project notechondria/);
	t.regex(result.stdout, /notechondria-backend\s+combined\s+COMPLETED\s+SUCCESS\s+1\/1\s+[\da-f]{7}\s+healthy/);
	t.regex(result.stdout, /notechondria-postgres\s+postgresql/);
	t.regex(result.stdout, /notechondria-migrate\s+manual\s+SUCCESS/);
	t.is(result.stdout.match(/\bFAILURE\b/g)?.length, 1, 'the one failed build is listed');
	t.false(/\u001B/.test(result.stdout), 'no escape sequences in a pipe');
});

test('status --json is one JSON document with the whole snapshot', async t => {
	const result = await runCli(['status', '--json', '--sandbox']);
	t.is(result.code, 0, result.stderr);
	const document = JSON.parse(result.stdout) as {context: {sandbox: boolean}; services: Array<{name: string; health: string}>; builds: Record<string, unknown[]>};
	t.true(document.context.sandbox);
	t.like(document.services[0], {name: 'notechondria-backend', health: 'healthy'});
	t.is(document.builds['notechondria-backend']?.length, 8);
});

test('wheelhouse with stdout not a terminal prints the status instead of a full-screen UI', async t => {
	const result = await runCli([]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /SERVICES/);
});

test('status against a standalone sandbox by URL', async t => {
	const sandbox = await startSandbox({port: 0});
	t.teardown(async () => sandbox.close());
	const result = await runCli(['status', '--sandbox-url', sandbox.url]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /notechondria-backend/);
	t.true(sandbox.stats().total > 0);
});

test('bad input: one message naming the problem and the fix, exit status 2', async t => {
	const cases: Array<[string[], RegExp]> = [
		[['--bogus'], /Unknown option --bogus/],
		[['status', 'now'], /Unexpected argument "now"/],
		[['frobnicate'], /Unknown command "frobnicate"/],
		[['status', '--sandbox-url', 'http://127.0.0.1:9'], /Cannot reach the sandbox at http:\/\/127\.0\.0\.1:9/],
		[['status', '--sandbox-url', 'localhost:4780'], /must be an http/],
		[['status', '--context', 'prod'], /No context named "prod"/],
		[['sandbox', '--chaos', 'latency=fast'], /latency/],
	];
	for (const [args, message] of cases) {
		 
		const result = await runCli(args);
		t.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		t.regex(result.stderr, message, args.join(' '));
		t.is(result.stderr.trim().split('\n').length, 2, `${args.join(' ')}: a problem line and a fix line`);
		t.is(result.stdout, '');
	}
});

test('a rejected token exits 2 and never shows the token', async t => {
	const sandbox = await startSandbox({port: 0});
	t.teardown(async () => sandbox.close());
	const secret = 'nf-secret-token-0123456789abcdef';
	const result = await runCli(['status', '--sandbox-url', sandbox.url], {env: {WHEELHOUSE_SANDBOX_TOKEN: secret}});
	t.is(result.code, 2);
	t.regex(result.stderr, /rejected the API token/);
	t.false(`${result.stdout}${result.stderr}`.includes('0123456789abcdef'));
});

test('a context whose token is missing or rejected is explained; the token never printed', async t => {
	const sandbox = await startSandbox({port: 0});
	t.teardown(async () => sandbox.close());
	const configDir = emptyDirectory();
	writeFileSync(join(configDir, 'config.json'), JSON.stringify({current: 'staging', contexts: {staging: {platform: 'northflank', project: 'notechondria', url: sandbox.url, tokenEnv: 'STAGING_NF_TOKEN'}}}));
	const missing = await runCli(['status'], {env: {WHEELHOUSE_CONFIG_DIR: configDir}});
	t.is(missing.code, 2);
	t.regex(missing.stderr, /STAGING_NF_TOKEN, which is not set/);

	const rejected = await runCli(['status'], {env: {WHEELHOUSE_CONFIG_DIR: configDir, STAGING_NF_TOKEN: 'nf-wrong-0123456789abcdefghij'}});
	t.is(rejected.code, 2);
	t.false(rejected.stderr.includes('0123456789abcdefghij'));

	const working = await runCli(['status', '--context', 'staging'], {env: {WHEELHOUSE_CONFIG_DIR: configDir, STAGING_NF_TOKEN: sandbox.token}});
	t.is(working.code, 0, working.stderr);
	t.regex(working.stdout, /context staging\s/);
	t.notRegex(working.stdout, /SANDBOX/, 'a configured context is not labelled sandbox');
});

test('a malformed config file is named, exits 2 and is left untouched', async t => {
	const configDir = emptyDirectory();
	const path = join(configDir, 'config.json');
	for (const content of ['{"contexts": {', '{"contexts": {"x": {"platform": "heroku", "project": "p"}}}', '{"contexts": {"x": {"platform": "northflank"}}}']) {
		writeFileSync(path, content);
		const before = statSync(path).mtimeMs;
		 
		const result = await runCli(['status'], {env: {WHEELHOUSE_CONFIG_DIR: configDir}});
		t.is(result.code, 2, content);
		t.regex(result.stderr, /config file .*config\.json is not valid/, content);
		t.is(readFileSync(path, 'utf8'), content);
		t.is(statSync(path).mtimeMs, before);
	}
});

test('--version and --help', async t => {
	const version = await runCli(['--version']);
	t.is(version.code, 0);
	t.regex(version.stdout, /^\d+\.\d+\.\d+\n$/);
	const help = await runCli(['--help']);
	t.is(help.code, 0);
	t.regex(help.stdout, /wheelhouse status \[--json\]/);
	const sandboxHelp = await runCli(['help', 'sandbox']);
	t.regex(sandboxHelp.stdout, /429storm=20s\/60s/);
});
