import {PassThrough} from 'node:stream';
import test from 'ava';
import {parseInvocation} from '../../source/cli/args.js';
import {runSandboxCommand} from '../../source/commands/sandbox.js';
import {UsageError} from '../../source/core/errors.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {startPostgres, type PostgresServer} from '../helpers/postgres.js';
import {freePort} from '../helpers/sshd.js';
import {freshDatabaseUrl, withClient} from './database-helpers.js';
import {addonPath, FakeClock, sandboxFor} from './helpers.js';

let server: PostgresServer | undefined;

test.before(async () => {
	server = await startPostgres();
});

test.after.always(async () => {
	await server?.stop();
});

test('with a database URL the addon is that database, and its role the credentials', async t => {
	const url = await freshDatabaseUrl(server!);
	const database = new URL(url).pathname.slice(1);
	const api = await sandboxFor(t, {database: {url}});
	const reply = await api.get(`${addonPath}/credentials`);
	t.is(reply.status, 200);
	t.deepEqual(reply.body.data, {
		secrets: {username: 'postgres', password: ''},
		envs: {HOST: '127.0.0.1', PORT: String(server!.port), DATABASE: database, TLS_ENABLED: 'false'},
	});
	const {rows} = await withClient({host: '127.0.0.1', port: server!.port, user: 'postgres', database}, async client => client.query('select current_database() as name'));
	t.is(rows[0].name, database);
	t.like((await api.get('/_sandbox/info')).body.data.database, {kind: 'url', where: `postgres://postgres@127.0.0.1:${server!.port}/${database}`});
});

test('a bad database URL is a UsageError naming the problem, with the password masked', async t => {
	const cases: Array<[string, RegExp]> = [
		['mysql://app:s3cret-pass@127.0.0.1/app', /must start with postgres:\/\//],
		['postgres://app:s3cret-pass@127.0.0.1:5432', /postgres:\/\/app:\*\*\*@127\.0\.0\.1:5432\/ lacks a database name/],
		['postgres://app:s3cret-pass@db.example:99999/app', /not a valid URL/],
	];
	for (const [url, message] of cases) {
		 
		const error = await t.throwsAsync(startSandbox({port: 0, database: {url}}), {instanceOf: UsageError});
		t.regex(error.message, message);
		t.false(`${error.message} ${error.hint ?? ''}`.includes('s3cret-pass'), 'the password never shows');
		t.regex(error.hint ?? '', /postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/);
	}
});

test('a database that does not answer makes the credentials a 503 naming it, never its password', async t => {
	const port = await freePort();
	const api = await sandboxFor(t, {database: {url: `postgres://app:s3cret-pass@127.0.0.1:${port}/app`}});
	const reply = await api.get(`${addonPath}/credentials`);
	t.is(reply.status, 503);
	t.regex(reply.body.error.message, new RegExp(`postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/app does not answer`));
	t.false(JSON.stringify(reply.body).includes('s3cret-pass'));
	t.is((await api.get(addonPath)).status, 200, 'the rest of the sandbox keeps working');
});

test('a sandbox on an injected clock simulates its addon: no credentials, backups only take time', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	t.is(api.sandbox.database, undefined);
	const reply = await api.get(`${addonPath}/credentials`);
	t.is(reply.status, 503);
	t.regex(reply.body.error.message, /simulated/);
	await api.post(`${addonPath}/backups`, {name: 'timed'});
	clock.advance(10_000);
	t.is((await api.get(`${addonPath}/backups/timed`)).body.data.status, 'completed');
	t.is((await api.get(`${addonPath}/backups/timed/download-link`)).status, 409);
});

test('wheelhouse sandbox --database-url serves on that database, and refuses a bad URL before listening', async t => {
	const url = await freshDatabaseUrl(server!);
	const invocation = parseInvocation(['sandbox', '--port', '0', '--database-url', url]);
	t.like(invocation, {command: 'sandbox', databaseUrl: url});
	const stdout = new PassThrough();
	let printed = '';
	stdout.on('data', (chunk: Buffer) => {
		printed += chunk.toString();
	});
	const stop = new AbortController();
	const running = runSandboxCommand({port: 0, databaseUrl: url}, {stdout, stderr: new PassThrough(), signal: stop.signal});
	for (let attempt = 0; attempt < 500 && !printed.includes('Ctrl+C'); attempt++) {
		 
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	t.regex(printed, new RegExp(`database: postgres://postgres@127\\.0\\.0\\.1:${server!.port}/addon_`));
	stop.abort();
	t.is(await running, 0);

	const error = await t.throwsAsync(runSandboxCommand({port: 0, databaseUrl: 'postgres://app:s3cret-pass@127.0.0.1'}, {stdout: new PassThrough(), stderr: new PassThrough()}), {instanceOf: UsageError});
	t.is(error.exitCode, 2);
	t.false(error.message.includes('s3cret-pass'));
});
