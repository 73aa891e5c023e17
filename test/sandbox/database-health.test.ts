import test from 'ava';
import {startPostgres, type PostgresServer} from '../helpers/postgres.js';
import {freePort} from '../helpers/sshd.js';
import {freshDatabaseUrl, OffsetClock, recordBuiltinMigrations} from './database-helpers.js';
import {sandboxFor, type Client} from './helpers.js';

let server: PostgresServer | undefined;

test.before(async () => {
	server = await startPostgres();
});

test.after.always(async () => {
	await server?.stop();
});

const serviceUrl = '/_sandbox/http/projects/notechondria/services/notechondria-backend';

/** A GET of the service's public URL, without any token. */
async function visit(api: Client, path: string): Promise<{status: number; body: Record<string, unknown>}> {
	const response = await fetch(`${api.sandbox.url}${serviceUrl}${path}`);
	return {status: response.status, body: await response.json() as Record<string, unknown>};
}

/** A sandbox whose database has every built-in migration recorded, as a migrated app's would. */
async function migratedSandbox(t: Parameters<typeof sandboxFor>[0], options: Parameters<typeof sandboxFor>[1] = {}): Promise<Client> {
	const api = await sandboxFor(t, {database: {url: await freshDatabaseUrl(server!)}, ...options});
	await recordBuiltinMigrations(await api.sandbox.databaseConnection(), 'all');
	return api;
}

test('the health path answers 200 {"status":"ok"} without a token; other paths are 404', async t => {
	const api = await migratedSandbox(t);
	t.deepEqual(await visit(api, '/api/health/'), {status: 200, body: {status: 'ok'}});
	t.is((await visit(api, '/api/notes/')).status, 404);
	t.is((await visit(api, '/')).status, 404);
	t.is((await visit(api, '/api/health')).status, 404, 'the path is matched exactly, as Django does without APPEND_SLASH');
	const unknown = await fetch(`${api.sandbox.url}/_sandbox/http/projects/notechondria/services/nope/api/health/`);
	t.is(unknown.status, 404);
	t.regex((await unknown.json() as {error: {message: string}}).error.message, /Service "nope" not found/);
	const post = await fetch(`${api.sandbox.url}${serviceUrl}/api/health/`, {method: 'POST'});
	t.is(post.status, 405);
	await post.arrayBuffer();
});

test('503 "no running instance" before the service\'s first instance runs', async t => {
	const clock = new OffsetClock();
	const api = await migratedSandbox(t, {now: clock.now});
	clock.advance(-10 * 24 * 60 * 60 * 1000);
	const answer = await visit(api, '/api/health/');
	t.is(answer.status, 503);
	t.regex(String(answer.body.error), /no running instance/);
	clock.offset = 0;
	t.is((await visit(api, '/api/health/')).status, 200);
});

test('an app whose database does not answer is unhealthy (503), on every path but 404s', async t => {
	const api = await sandboxFor(t, {database: {url: `postgres://nobody@127.0.0.1:${await freePort()}/nothing`}});
	const answer = await visit(api, '/api/health/');
	t.is(answer.status, 503);
	t.is(answer.body.status, 'unhealthy');
	t.regex(String(answer.body.error), /OperationalError: .*cannot reach its database/);
	t.is((await visit(api, '/api/notes/')).status, 404);
});

test('500 with Django\'s ProgrammingError while the serving build\'s migrations are not applied', async t => {
	const api = await migratedSandbox(t);
	t.is((await visit(api, '/api/health/')).status, 200);
	await recordBuiltinMigrations(await api.sandbox.databaseConnection(), 'none');
	const answer = await visit(api, '/api/health/');
	t.is(answer.status, 500);
	t.regex(String(answer.body.error), /^ProgrammingError: relation "accounts_user" does not exist \(migrations pending: 0 of \d+ applied, next accounts\.0001_initial\)$/);
	await recordBuiltinMigrations(await api.sandbox.databaseConnection(), 'all');
	t.is((await visit(api, '/api/health/')).status, 200);
});
