// `wheelhouse context …` and `--context` through the built CLI, against a real sandbox: what is
// written where, what is printed (never a token), and how the stored token is used.
import {createHash} from 'node:crypto';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {startSandbox} from '../../source/sandbox/index.js';
import {emptyDirectory, runCli} from '../helpers/run-cli.js';
import {otherStoredToken, setupToken} from '../helpers/test-secrets.js';

const json = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('add with a piped token, list, use, --context, remove: the token stays in secrets.json and is never printed', async t => {
	const sandbox = await startSandbox({port: 0, token: setupToken, database: 'simulated'});
	t.teardown(async () => sandbox.close());
	const directory = emptyDirectory();
	const env = {WHEELHOUSE_CONFIG_DIR: directory, NORTHFLANK_TOKEN: undefined};

	const added = await runCli(['context', 'add', 'prod', '--platform', 'northflank', '--project', 'notechondria', '--url', sandbox.url, '--token-stdin', '--service', 'notechondria-backend', '--migrate-command', 'python manage.py migrate', '--environment', 'production', '--protected'], {env, input: `${setupToken}\n`});
	t.is(added.code, 0, added.stderr);
	t.regex(added.stdout, /Added context prod \(northflank · notechondria · production, protected\)/);
	t.regex(added.stdout, /stored in secrets\.json \(mode 0600\)/);
	t.regex(added.stdout, /It is the current context\./);
	t.deepEqual(json(join(directory, 'config.json')), {
		version: 2,
		current: 'prod',
		contexts: {prod: {platform: 'northflank', project: 'notechondria', url: sandbox.url, tokenSecret: true, service: 'notechondria-backend', migrateCommand: 'python manage.py migrate', migrationTool: 'django', environment: 'production', protected: true}},
	});
	t.is(statSync(join(directory, 'secrets.json')).mode & 0o777, 0o600);

	const ssh = await runCli(['context', 'add', 'bastion', '--platform', 'ssh', '--destination', 'deploy@bastion.example.com:2222', '--read-only'], {env});
	t.is(ssh.code, 0, ssh.stderr);
	t.regex(ssh.stdout, /make it current: wheelhouse context use bastion/);

	const list = await runCli(['context', 'list'], {env});
	t.is(list.code, 0, list.stderr);
	const rows = list.stdout.trimEnd().split('\n');
	t.regex(rows[0]!, /^\s+NAME\s+PLATFORM\s+PROJECT\/DESTINATION\s+ENVIRONMENT\s+SAFETY\s+TOKEN$/);
	t.regex(list.stdout, /^\*\s+prod\s+northflank\s+notechondria\s+production\s+protected\s+secrets\.json$/m);
	t.regex(list.stdout, /^\s+bastion\s+ssh\s+deploy@bastion\.example\.com:2222\s+—\s+read-only\s+ssh keys$/m);
	const listed = JSON.parse((await runCli(['context', 'list', '--json'], {env})).stdout) as {current: string; contexts: Array<Record<string, unknown>>};
	t.is(listed.current, 'prod');
	t.like(listed.contexts[0], {name: 'prod', current: true, platform: 'northflank', environment: 'production', protected: true, readOnly: false, token: {source: 'secrets-file', stored: true}});
	t.like(listed.contexts[1], {name: 'bastion', current: false, platform: 'ssh', destination: 'deploy@bastion.example.com:2222', readOnly: true});

	const status = await runCli(['status'], {env});
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, /^context prod \[PRODUCTION\] \(protected\)\s+project notechondria/m, 'the context and its environment head the plain output');
	const overridden = await runCli(['status'], {env: {...env, NORTHFLANK_TOKEN: otherStoredToken}});
	t.is(overridden.code, 2, 'an exported NORTHFLANK_TOKEN takes precedence over the stored token');
	t.regex(overridden.stderr, /rejected the API token/);

	const use = await runCli(['context', 'use', 'bastion'], {env});
	t.is(use.code, 0, use.stderr);
	t.regex(use.stdout, /Current context: bastion \(ssh · deploy@bastion\.example\.com:2222 · read-only\)/);
	t.is(json(join(directory, 'config.json')).current, 'bastion');
	const byName = await runCli(['status', '--context', 'prod'], {env});
	t.is(byName.code, 0, byName.stderr);

	const removed = await runCli(['context', 'remove', 'prod'], {env});
	t.is(removed.code, 0, removed.stderr);
	t.deepEqual(json(join(directory, 'secrets.json')), {version: 1, tokens: {}}, 'its token goes with it');
	t.deepEqual(Object.keys(json(join(directory, 'config.json')).contexts as object), ['bastion']);

	for (const result of [added, ssh, list, status, overridden, use, byName, removed]) {
		t.false(`${result.stdout}${result.stderr}`.includes(setupToken));
		t.false(`${result.stdout}${result.stderr}`.includes(otherStoredToken));
	}
});

test('a version 1 file: listed with a note, untouched until a context command saves it as version 2', async t => {
	const directory = emptyDirectory();
	const path = join(directory, 'config.json');
	writeFileSync(path, '{"current": "a", "contexts": {"a": {"platform": "northflank", "project": "p"}, "b": {"platform": "ssh", "destination": "h"}}}\n');
	const before = sha256(path);
	const list = await runCli(['context', 'list'], {env: {WHEELHOUSE_CONFIG_DIR: directory, NORTHFLANK_TOKEN: undefined}});
	t.is(list.code, 0, list.stderr);
	t.regex(list.stdout, /in the format of version 1; it is rewritten in version 2 the next time a context is saved/);
	t.regex(list.stdout, /^\*\s+a\s+northflank\s+p\s+—\s+—\s+\$NORTHFLANK_TOKEN \(unset\)$/m);
	t.is(sha256(path), before);

	const use = await runCli(['context', 'use', 'b'], {env: {WHEELHOUSE_CONFIG_DIR: directory}});
	t.is(use.code, 0, use.stderr);
	t.deepEqual(json(path), {version: 2, current: 'b', contexts: {a: {platform: 'northflank', project: 'p', tokenEnv: 'NORTHFLANK_TOKEN'}, b: {platform: 'ssh', destination: 'h'}}});
});

test('a current context that does not exist is refused, and `context use` repairs it', async t => {
	const directory = emptyDirectory();
	const path = join(directory, 'config.json');
	writeFileSync(path, '{"current": "gone", "contexts": {"a": {"platform": "ssh", "destination": "h"}, "b": {"platform": "ssh", "destination": "i"}}}');
	const status = await runCli(['status'], {env: {WHEELHOUSE_CONFIG_DIR: directory}});
	t.is(status.code, 2);
	t.regex(status.stderr, /"current" is "gone", but no context has that name/);
	t.regex(status.stderr, /Known contexts: a, b\. Run `wheelhouse context use NAME`/);
	t.is((await runCli(['context', 'use', 'a'], {env: {WHEELHOUSE_CONFIG_DIR: directory}})).code, 0);
	t.is(json(path).current, 'a');

	const removed = await runCli(['context', 'remove', 'a'], {env: {WHEELHOUSE_CONFIG_DIR: directory}});
	t.regex(removed.stdout, /there is no current context now/);
	writeFileSync(path, '{"contexts": {"a": {"platform": "ssh", "destination": "h"}, "b": {"platform": "ssh", "destination": "i"}}}');
	const ambiguous = await runCli(['exec', '--', 'true'], {env: {WHEELHOUSE_CONFIG_DIR: directory}});
	t.is(ambiguous.code, 2, 'with several contexts and none current, nothing is guessed');
	t.regex(ambiguous.stderr, /has 2 contexts and none is current/);
});

test('add render and compose contexts with flags: written as given, listed with where they point and the key variable', async t => {
	const directory = emptyDirectory();
	const env = {WHEELHOUSE_CONFIG_DIR: directory, RENDER_API_KEY: undefined};
	const render = await runCli(['context', 'add', 'render-prod', '--platform', 'render', '--workspace', 'My Team', '--service', 'notechondria-backend', '--addon', 'notechondria-postgres', '--health-path', '/api/health/', '--environment', 'production'], {env});
	t.is(render.code, 0, render.stderr);
	t.regex(render.stdout, /Its API key is read from RENDER_API_KEY, which is not set in this shell\./);
	const compose = await runCli(['context', 'add', 'box', '--platform', 'compose', '--destination', 'deploy@app.example.com:2222', '--project-dir', '/srv/azionelab', '--files', 'compose.yml,compose.prod.yml', '--app-service', 'backend', '--db-service', 'db', '--tag-variable', 'APP_TAG', '--protected'], {env});
	t.is(compose.code, 0, compose.stderr);
	t.deepEqual(json(join(directory, 'config.json')), {
		version: 2,
		current: 'render-prod',
		contexts: {
			'render-prod': {platform: 'render', workspace: 'My Team', service: 'notechondria-backend', addon: 'notechondria-postgres', healthPath: '/api/health/', environment: 'production'},
			box: {platform: 'compose', destination: 'deploy@app.example.com:2222', projectDir: '/srv/azionelab', files: ['compose.yml', 'compose.prod.yml'], appService: 'backend', dbService: 'db', tagVariable: 'APP_TAG', protected: true},
		},
	});
	const list = await runCli(['context', 'list'], {env});
	t.regex(list.stdout, /^\*\s+render-prod\s+render\s+My Team\s+production\s+—\s+\$RENDER_API_KEY \(unset\)$/m);
	t.regex(list.stdout, /^\s+box\s+compose\s+deploy@app\.example\.com:2222:\/srv\/azionelab\s+—\s+protected\s+ssh keys$/m);
});
