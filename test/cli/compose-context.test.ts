import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {startComposeHost, type ComposeHostWorld} from '../helpers/compose-host.js';
import {runCli} from '../helpers/run-cli.js';

// One Compose host for the file: starting sshd, a bastion and PostgreSQL costs seconds.
let world: ComposeHostWorld;
let env: Record<string, string>;

test.before(async () => {
	world = await startComposeHost({rows: 200});
	const configDir = join(world.home.home, 'wheelhouse');
	await mkdir(configDir);
	// The helper's ~/.ssh/config gives the host the alias compose-direct, with its key and known_hosts.
	await writeFile(join(configDir, 'config.json'), JSON.stringify({
		version: 2,
		current: 'azionelab',
		contexts: {azionelab: {platform: 'compose', destination: 'compose-direct', projectDir: world.projectDirectory, appService: 'backend', dbService: 'db', tagVariable: 'APP_TAG', environment: 'staging'}},
	}));
	env = {HOME: world.home.home, WHEELHOUSE_CONFIG_DIR: configDir, WHEELHOUSE_STATE_DIR: join(world.home.home, 'state'), SSH_AUTH_SOCK: ''};
});

test.after.always(async () => {
	await world?.stop();
});

test.serial('status on a Compose context lists the backend as healthy', async t => {
	const result = await runCli(['status'], {env, timeoutMs: 60_000});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /\bbackend\b.*\bhealthy\b/);
});

test.serial('exec on a Compose context runs in the service\'s container and exits with its status', async t => {
	const result = await runCli(['exec', 'backend', '--', 'sh', '-c', 'echo in-container; exit 5'], {env, timeoutMs: 60_000});
	t.is(result.code, 5, result.stderr);
	t.regex(result.stdout, /in-container/);
});

test.serial('backup db --yes on a Compose context takes a backup that ends readable', async t => {
	const result = await runCli(['backup', 'db', '--yes'], {env, timeoutMs: 120_000});
	t.is(result.code, 0, `${result.stdout}\n${result.stderr}`);
	t.regex(result.stdout, /readable|verified/i);
});
