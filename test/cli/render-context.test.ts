import {execFile} from 'node:child_process';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import {startSandbox, type SandboxHandle} from '../../source/sandbox/index.js';
import {runCli} from '../helpers/run-cli.js';
import {makeClientKey, makeTempDir, removeTempDir} from '../helpers/sshd.js';

const run = promisify(execFile);

type World = {sandbox: SandboxHandle; configDir: string; env: Record<string, string | undefined>};

async function renderContextWorld(t: {teardown(fn: () => Promise<void>): void}): Promise<World> {
	const sandbox = await startSandbox({port: 0, database: 'simulated'});
	const configDir = await makeTempDir('render-context');
	await mkdir(configDir, {recursive: true});
	await writeFile(join(configDir, 'config.json'), JSON.stringify({
		version: 2,
		current: 'render-prod',
		contexts: {'render-prod': {platform: 'render', url: sandbox.url, service: 'notechondria-backend', addon: 'notechondria-postgres', environment: 'staging'}},
	}));
	t.teardown(async () => {
		await sandbox.close();
		await removeTempDir(configDir);
	});
	return {sandbox, configDir, env: {WHEELHOUSE_CONFIG_DIR: configDir, RENDER_API_KEY: sandbox.renderToken}};
}

test('status on a Render context lists the service and its health', async t => {
	const world = await renderContextWorld(t);
	const result = await runCli(['status'], {env: world.env});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /notechondria-backend\s+web_service\s+live\b.*\bhealthy\b/);
	t.false(`${result.stdout}${result.stderr}`.includes(world.sandbox.renderToken));
});

test('logs SERVICE --since 5m on a Render context prints the service\'s lines', async t => {
	const world = await renderContextWorld(t);
	const result = await runCli(['logs', 'notechondria-backend', '--since', '5m'], {env: world.env});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /GET \/api\/\S+ seq=\d+/);
});

test('a Render context without RENDER_API_KEY exits 2 naming the variable', async t => {
	const world = await renderContextWorld(t);
	const result = await runCli(['status'], {env: {...world.env, RENDER_API_KEY: undefined}});
	t.is(result.code, 2, result.stderr);
	t.regex(result.stderr, /RENDER_API_KEY/);
});

test('exec SERVICE -- COMMAND on a Render context runs over SSH at the service\'s sshAddress, host key checked', async t => {
	const world = await renderContextWorld(t);
	const home = await makeTempDir('render-home');
	t.teardown(async () => removeTempDir(home));
	await mkdir(join(home, '.ssh'), {recursive: true, mode: 0o700});
	const key = await makeClientKey(join(home, '.ssh'), 'id_ed25519');
	world.sandbox.addRenderSshKey(key.publicKey);
	const env = {...world.env, HOME: home, SSH_AUTH_SOCK: undefined};

	const unknown = await runCli(['exec', 'notechondria-backend', '--', 'echo', 'hello'], {env, timeoutMs: 30_000});
	t.not(unknown.code, 0, 'an unknown host key is refused without a terminal to ask');
	t.regex(unknown.stderr, /known_hosts|host key/i);

	const {stdout: scanned} = await run('ssh-keyscan', ['-p', String(world.sandbox.renderSshPort), '-t', 'ed25519', '127.0.0.1']);
	await writeFile(join(home, '.ssh', 'known_hosts'), scanned);
	const result = await runCli(['exec', 'notechondria-backend', '--', 'sh', '-c', 'echo "from $(hostname -s 2>/dev/null || echo render)"; exit 6'], {env, timeoutMs: 30_000});
	t.is(result.code, 6, result.stderr);
	t.regex(result.stdout, /from /);
});
