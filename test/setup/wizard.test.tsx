// The setup wizard driven with keystrokes at 80×24, against a real sandbox (Northflank's API) and
// a real sshd: every step is checked live, failures say what failed, back keeps the answers, and
// nothing is written before the summary's enter.
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import anyTest, {type ExecutionContext} from 'ava';
import {createSetupBackend} from '../../source/commands/setup-backend.js';
import {startSandbox, type SandboxHandle} from '../../source/sandbox/index.js';
import {type SetupOutcome, SetupWizard} from '../../source/ui/setup/setup-wizard.js';
import {contextToSave, stepOrder} from '../../source/ui/setup/wizard-model.js';
import {captureOutput} from '../helpers/capture.js';
import {startComposeHost} from '../helpers/compose-host.js';
import {type Harness, renderHarness} from '../helpers/render-harness.js';
import {freePort, makeClientKey, makeTempDir, removeTempDir, startSshd, type SshdServer} from '../helpers/sshd.js';
import {rejectedToken, setupToken} from '../helpers/test-secrets.js';

// Each test drives a sandbox or an sshd in real time: one at a time, so timings stay honest.
const test = anyTest.serial;

const maskedToken = 'nf_…5b2d';

/** The screen as one line: messages wrap at word boundaries, assertions should not care where. */
const flat = (frame: string): string => frame.replaceAll(/\s+/g, ' ');

const waitText = async (harness: Harness, text: string, timeoutMs = 5000): Promise<string> => harness.waitFor(frame => flat(frame).includes(text), timeoutMs);

type Wizard = {harness: Harness; configDir: string; outcome(): SetupOutcome | undefined};

async function sandbox(t: ExecutionContext): Promise<SandboxHandle> {
	const handle = await startSandbox({port: 0, token: setupToken, database: 'simulated', timeScale: 10});
	t.teardown(async () => handle.close());
	return handle;
}

async function openWizard(t: ExecutionContext, options: {sandboxUrl?: string; environment?: NodeJS.ProcessEnv; homeDir?: string; configDir?: string} = {}): Promise<Wizard> {
	const configDir = options.configDir ?? await makeTempDir('setup-config');
	const backend = createSetupBackend({sandboxUrl: options.sandboxUrl, directory: configDir, environment: options.environment ?? {}, homeDir: options.homeDir ?? configDir, sshTimeoutMs: 5000});
	let outcome: SetupOutcome | undefined;
	const harness = renderHarness(<SetupWizard backend={backend} onExit={result => {
		outcome = result;
	}}/>, {columns: 80, rows: 24});
	t.teardown(async () => {
		captureOutput(`setup wizard: ${t.title}`, harness.output());
		await harness.unmount();
		await removeTempDir(configDir);
	});
	await waitText(harness, 'Which platform runs your deployment?');
	return {harness, configDir, outcome: () => outcome};
}

/** Platform → token (pasted) → project list. */
async function toProjects(harness: Harness, token = setupToken): Promise<void> {
	await harness.press('enter');
	await waitText(harness, 'Which Northflank API token');
	await harness.type(token);
	await harness.press('enter');
	await waitText(harness, 'Which project?', 10_000);
}

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const mode = (path: string): number => statSync(path).mode & 0o777;

test('Northflank: every step checked live, the summary shows what is saved, and it is saved as shown', async t => {
	const platform = await sandbox(t);
	const {harness, configDir, outcome} = await openWizard(t, {sandboxUrl: platform.url});
	t.regex(flat(harness.frame()), /\( \) Render services, deploys and Postgres through its API/);
	t.regex(flat(harness.frame()), /\( \) Docker Compose host over SSH docker compose on a server, run over SSH/);
	await toProjects(harness);
	t.regex(flat(harness.frame()), /Token accepted; it sees 1 project\./);
	t.regex(flat(harness.frame()), /\(•\) notechondria/);
	await harness.press('enter');
	await waitText(harness, 'Which service do releases deploy?');
	t.regex(flat(harness.frame()), /Project notechondria: 1 service, 1 addon, 1 job\./);
	await harness.press('enter');
	await waitText(harness, 'Which database is backed up');
	t.regex(flat(harness.frame()), /its health check is \/api\/health\//);
	await harness.press('enter');
	await waitText(harness, 'Which job runs the migrations?');
	t.regex(flat(harness.frame()), /notechondria-postgres is running/);
	await harness.press('enter');
	await waitText(harness, 'Which path says the service is healthy?');
	t.regex(flat(harness.frame()), /Path: \/api\/health\//, 'the service\'s own health check is offered');
	await harness.press('enter');
	await waitText(harness, 'Which command runs the migrations?', 10_000);
	t.regex(flat(harness.frame()), /\/api\/health\/ answered 200 in \d+ ms\./);
	await harness.press('enter');
	await waitText(harness, 'Name this context', 60_000);
	t.regex(flat(harness.frame()), /The migration plan can be read: a run of notechondria-migrate succeeded/);
	t.regex(flat(harness.frame()), /Name: notechondria/, 'the project\'s name is offered');
	t.regex(flat(harness.frame()), /\[x\] Protected/, 'production is protected unless switched off');
	await harness.press('ctrl+u');
	await harness.type('prod');
	await harness.press('enter');
	const summary = await waitText(harness, 'This is what will be saved');
	t.true(summary.includes(maskedToken), summary);
	t.regex(flat(summary), /"platform": "northflank", "project": "notechondria"/);
	t.regex(flat(summary), /"migrateCommand": "python manage\.py migrate", "migrationTool": "django"/);
	t.regex(flat(summary), /"environment": "production", "protected": true/);
	t.deepEqual(readdirSync(configDir), [], 'nothing is written before the summary\'s enter');

	await harness.press('enter');
	await waitText(harness, 'Saved context prod; it is now the current context.');
	t.deepEqual(json(join(configDir, 'config.json')), {
		version: 2,
		current: 'prod',
		contexts: {
			prod: {
				platform: 'northflank',
				project: 'notechondria',
				url: platform.url,
				sandbox: true,
				tokenSecret: true,
				service: 'notechondria-backend',
				addon: 'notechondria-postgres',
				job: 'notechondria-migrate',
				healthPath: '/api/health/',
				migrateCommand: 'python manage.py migrate',
				migrationTool: 'django',
				environment: 'production',
				protected: true,
			},
		},
	});
	t.false(readFileSync(join(configDir, 'config.json'), 'utf8').includes(setupToken), 'the config only refers to the token');
	t.deepEqual(json(join(configDir, 'secrets.json')), {version: 1, tokens: {prod: setupToken}});
	t.is(mode(join(configDir, 'secrets.json')), 0o600);
	t.is(mode(join(configDir, 'config.json')), 0o600);
	t.is(mode(configDir), 0o700);

	await harness.press('enter');
	t.deepEqual(outcome(), {saved: 'prod', openConsole: true});
	t.false(harness.output().includes(setupToken), 'the token is never drawn');
});

test('Render: RENDER_API_KEY offered masked, the one workspace picked, every step checked live, saved as a render context', async t => {
	const platform = await sandbox(t);
	const {harness, configDir, outcome} = await openWizard(t, {sandboxUrl: platform.url, environment: {RENDER_API_KEY: platform.renderToken}});
	await harness.press('down');
	await harness.press('enter');
	await waitText(harness, 'Which Render API key should wheelhouse use?');
	t.true(flat(harness.frame()).includes('Use RENDER_API_KEY from this shell'));
	t.false(harness.frame().includes(platform.renderToken), 'the key is shown masked');
	await harness.press('enter');
	await waitText(harness, 'Which service do releases deploy?', 10_000);
	t.regex(flat(harness.frame()), /Workspace .+: \d+ services?, 1 database\./);
	t.regex(flat(harness.frame()), /\(•\) notechondria-backend/);
	await harness.press('enter');
	await waitText(harness, 'Which database is backed up');
	t.regex(flat(harness.frame()), /its health check is \/api\/health\//);
	await harness.press('enter');
	await waitText(harness, 'Which path says the service is healthy?');
	t.regex(flat(harness.frame()), /notechondria-postgres is running/);
	await harness.press('enter');
	await waitText(harness, 'Which command runs the migrations?', 10_000);
	t.regex(flat(harness.frame()), /\/api\/health\/ answered 200 in \d+ ms\./);
	t.regex(flat(harness.frame()), /pre-deploy command/);
	await harness.press('enter');
	await waitText(harness, 'Name this context');
	await harness.press('ctrl+u');
	await harness.type('render-prod');
	await harness.press('enter');
	const summary = await waitText(harness, 'This is what will be saved');
	t.regex(flat(summary), /"platform": "render"/);
	t.regex(flat(summary), /The key is read from RENDER_API_KEY at each start; no secret is stored\./);
	await harness.press('enter');
	await waitText(harness, 'Saved context render-prod; it is now the current context.');
	const saved = json(join(configDir, 'config.json')) as {current: string; contexts: Record<string, Record<string, unknown>>};
	t.is(saved.current, 'render-prod');
	const context = saved.contexts['render-prod']!;
	t.like(context, {platform: 'render', url: platform.url, healthPath: '/api/health/', migrateCommand: 'python manage.py migrate', environment: 'production', protected: true});
	t.regex(String(context.workspace), /^tea-/);
	t.regex(String(context.service), /^srv-/);
	t.regex(String(context.addon), /^dpg-/);
	t.deepEqual(Object.keys(context).sort(), ['addon', 'environment', 'healthPath', 'migrateCommand', 'platform', 'protected', 'service', 'url', 'workspace']);
	t.false(readFileSync(join(configDir, 'config.json'), 'utf8').includes(platform.renderToken), 'the key is not stored');
	t.false(existsSync(join(configDir, 'secrets.json')), 'no secret is written for Render');
	await harness.press('enter');
	t.deepEqual(outcome(), {saved: 'render-prod', openConsole: true});
});

test('Render: a rejected RENDER_API_KEY is named as such, and an unset one says to export it', async t => {
	const platform = await sandbox(t);
	const {harness} = await openWizard(t, {sandboxUrl: platform.url, environment: {RENDER_API_KEY: rejectedToken}});
	await harness.press('down');
	await harness.press('enter');
	await waitText(harness, 'Which Render API key should wheelhouse use?');
	await harness.press('enter');
	await waitText(harness, 'The sandbox rejected this API key (401).', 10_000);
	t.regex(flat(harness.frame()), /RENDER_API_KEY holds a key Render does not accept/);
	t.false(harness.frame().includes(rejectedToken));
	t.true(flat(harness.frame()).includes('Which Render API key should wheelhouse use?'), 'the step does not move on');

	const unset = await openWizard(t, {sandboxUrl: platform.url, environment: {}});
	await unset.harness.press('down');
	await unset.harness.press('enter');
	await waitText(unset.harness, 'RENDER_API_KEY is not set');
	await unset.harness.press('enter');
	await waitText(unset.harness, 'RENDER_API_KEY is not set in this shell.');
	t.regex(flat(unset.harness.frame()), /export RENDER_API_KEY=<key>/);
});

test('Docker Compose: a host of ~/.ssh/config, the project directory checked with docker compose config, its services picked, saved', async t => {
	const world = await startComposeHost({rows: 10});
	t.teardown(async () => world.stop());
	const {harness, configDir, outcome} = await openWizard(t, {homeDir: world.home.home});
	await harness.press('down', 'down', 'enter');
	await waitText(harness, 'Which SSH host?');
	await harness.press('down');
	t.regex(flat(harness.frame()), /\(•\) compose-direct/);
	await harness.press('enter');
	await waitText(harness, 'Which Compose project on the host?', 10_000);
	t.regex(flat(harness.frame()), /SSH reaches .*its host key is known\./);
	await harness.type('/nonexistent/project');
	await harness.press('enter');
	await harness.waitFor(frame => flat(frame).includes('✖'), 10_000);
	t.regex(flat(harness.frame()), /docker compose config on compose-direct failed .*no configuration file provided/);
	t.true(flat(harness.frame()).includes('Which Compose project on the host?'), 'a directory without a project does not move on');
	await harness.press('ctrl+u');
	await harness.type(world.projectDirectory);
	await harness.press('enter');
	await waitText(harness, 'Which services does wheelhouse release and back up?', 10_000);
	t.regex(flat(harness.frame()), /Compose project azionelab: nginx, backend, db\./);
	await harness.press('down');
	await harness.press('tab');
	await harness.press('down', 'down');
	t.regex(flat(harness.frame()), /Tag variable: APP_TAG/);
	await harness.press('enter');
	await waitText(harness, 'Name this context', 10_000);
	t.regex(flat(harness.frame()), /backend is released by setting APP_TAG; db is backed up\./);
	t.regex(flat(harness.frame()), /Name: compose-direct/);
	await harness.press('enter');
	await waitText(harness, 'This is what will be saved');
	await harness.press('enter');
	await waitText(harness, 'Saved context compose-direct; it is now the current context.');
	t.deepEqual(json(join(configDir, 'config.json')), {
		version: 2,
		current: 'compose-direct',
		contexts: {
			'compose-direct': {platform: 'compose', destination: 'compose-direct', projectDir: world.projectDirectory, appService: 'backend', dbService: 'db', tagVariable: 'APP_TAG', environment: 'production', protected: true},
		},
	});
	await harness.press('enter');
	t.deepEqual(outcome(), {saved: 'compose-direct', openConsole: true});
});

test('Render: the workspace step is asked only when the key reaches several, and the chosen one is saved', t => {
	const identity = {name: 'r', environment: 'staging' as const, protected: false, readOnly: false};
	const one = [{id: 'tea-one', name: 'One'}];
	const two = [...one, {id: 'tea-two', name: 'Two'}];
	t.false(stepOrder({platform: 'render', workspaces: one}).includes('workspace'));
	t.deepEqual(stepOrder({platform: 'render', workspaces: two}).slice(0, 4), ['platform', 'credentials', 'workspace', 'service']);
	t.deepEqual(contextToSave({platform: 'render', token: {value: 'k', from: 'environment'}, workspaces: two, project: two[1], service: null, addon: null, identity}, false, undefined), {platform: 'render', workspace: 'tea-two', environment: 'staging'});
});

test('NORTHFLANK_TOKEN is offered, masked, and saved as a reference; none skips the steps that need it', async t => {
	const platform = await sandbox(t);
	const {harness, configDir} = await openWizard(t, {sandboxUrl: platform.url, environment: {NORTHFLANK_TOKEN: setupToken}});
	await harness.press('enter');
	const credentials = await waitText(harness, 'Which Northflank API token');
	t.regex(flat(credentials), new RegExp(`\\(•\\) Use NORTHFLANK_TOKEN from this shell\\s+${maskedToken}`));
	await harness.press('enter');
	await waitText(harness, 'Which project?', 10_000);
	await harness.press('enter');
	await waitText(harness, 'Which service do releases deploy?');
	await harness.press('down', 'enter');
	await waitText(harness, 'Which database is backed up');
	await harness.press('down', 'enter');
	await waitText(harness, 'Which job runs the migrations?');
	await harness.press('down', 'enter');
	const identity = await waitText(harness, 'Name this context');
	t.regex(flat(identity), /step 7 of 8/, 'no health path without a service, no migration command without a job');
	await harness.press('tab', 'down', 'tab');
	t.regex(flat(harness.frame()), /\(•\) staging .*▸ \[ \] Protected/, 'only production is protected by default');
	await harness.press('space');
	t.regex(flat(harness.frame()), /▸ \[x\] Protected/);
	await harness.press('space');
	t.regex(flat(harness.frame()), /▸ \[ \] Protected/);
	await harness.press('enter');
	await waitText(harness, 'This is what will be saved');
	t.regex(flat(harness.frame()), /read from NORTHFLANK_TOKEN at each start; no secret is stored/);
	await harness.press('enter');
	await waitText(harness, 'Saved context notechondria');
	t.deepEqual(json(join(configDir, 'config.json')), {
		version: 2,
		current: 'notechondria',
		contexts: {notechondria: {platform: 'northflank', project: 'notechondria', url: platform.url, sandbox: true, tokenEnv: 'NORTHFLANK_TOKEN', environment: 'staging'}},
	});
	t.false(existsSync(join(configDir, 'secrets.json')));
});

test('a token the platform rejects is named as such, and the step does not move on', async t => {
	const platform = await sandbox(t);
	const {harness} = await openWizard(t, {sandboxUrl: platform.url});
	await harness.press('enter');
	await waitText(harness, 'Which Northflank API token');
	await harness.type(rejectedToken);
	await harness.press('enter');
	const frame = await waitText(harness, 'rejected this token (401)');
	t.regex(flat(frame), /The sandbox rejected this token \(401\)\./);
	t.regex(flat(frame), /Check that you pasted all of it \(ctrl-u clears the field\)/);
	t.regex(flat(frame), /step 2 of 10 · API token/);
	t.false(harness.output().includes(rejectedToken));
});

test('an empty token and a project the token cannot see say what to do', async t => {
	const platform = await sandbox(t);
	const {harness} = await openWizard(t, {sandboxUrl: platform.url});
	await harness.press('enter');
	await waitText(harness, 'Which Northflank API token');
	await harness.press('enter');
	await waitText(harness, 'There is no token yet: paste it into the token field.');
	await harness.type(setupToken);
	await harness.press('enter');
	await waitText(harness, 'Which project?', 10_000);
	await harness.press('down');
	await harness.type('no-such-project');
	await harness.press('enter');
	const frame = await waitText(harness, 'No project "no-such-project" is visible to this token.', 10_000);
	t.regex(flat(frame), /Projects this token can see: notechondria\./);
	t.regex(flat(frame), /step 3 of 10 · Project/);
});

test('a health path that answers 404 is refused with the service\'s own path as the hint', async t => {
	const platform = await sandbox(t);
	const {harness} = await openWizard(t, {sandboxUrl: platform.url});
	await toProjects(harness);
	for (const next of ['Which service', 'Which database', 'Which job', 'Which path says']) {
		await harness.press('enter');
		await waitText(harness, next, 10_000);
	}

	await harness.press('ctrl+u');
	await harness.type('/healthz');
	await harness.press('enter');
	const frame = await waitText(harness, '/healthz answered 404', 10_000);
	t.regex(flat(frame), /notechondria-backend has no page at \/healthz: fix the path\. The service's own health check is/);
	t.regex(flat(frame), /step 7 of 10 · Health path/);
});

test('a migration plan that cannot be read stops the step, with the run\'s outcome and where its logs are', async t => {
	const platform = await sandbox(t);
	const {harness} = await openWizard(t, {sandboxUrl: platform.url});
	await toProjects(harness);
	for (const next of ['Which service', 'Which database', 'Which job', 'Which path says', 'Which command runs the migrations?']) {
		await harness.press('enter');
		await waitText(harness, next, 10_000);
	}

	const response = await fetch(`${platform.url}/_sandbox/fail-next`, {method: 'POST', headers: {authorization: `Bearer ${setupToken}`}, body: JSON.stringify({kind: 'job-run'})});
	t.is(response.status, 200);
	await harness.press('enter');
	const frame = await harness.waitFor(/ended FAILED/, 60_000);
	t.regex(flat(frame), /The run of notechondria-migrate with "python manage\.py showmigrations --plan" ended FAILED/);
	t.regex(flat(frame), /wheelhouse logs notechondria-migrate/);
	t.regex(flat(frame), /step 8 of 10 · Migration command/);
});

test('going back (esc, shift-tab) keeps every earlier answer', async t => {
	const platform = await sandbox(t);
	const {harness} = await openWizard(t, {sandboxUrl: platform.url});
	await toProjects(harness);
	await harness.press('down');
	await harness.type('typed-but-kept');
	await harness.press('esc');
	const credentials = await waitText(harness, 'Which Northflank API token');
	t.regex(flat(credentials), new RegExp(`\\(${setupToken.length} characters, ${maskedToken}\\)`), 'the pasted token is still there, masked');
	t.regex(flat(credentials), /\(•\) Paste a token/);
	await harness.press('shift+tab');
	await waitText(harness, 'Which platform runs your deployment?');
	await harness.press('enter');
	await waitText(harness, 'Which Northflank API token');
	await harness.press('enter');
	const projects = await waitText(harness, 'Which project?', 10_000);
	t.regex(flat(projects), /Project id or name: typed-but-kept/, 'the typed project is kept too');
});

test('ctrl-c and esc on the first step leave without saving anything', async t => {
	const platform = await sandbox(t);
	const first = await openWizard(t, {sandboxUrl: platform.url});
	await toProjects(first.harness);
	for (const next of ['Which service', 'Which database', 'Which job', 'Which path says', 'Which command', 'Name this context']) {
		await first.harness.press('enter');
		await waitText(first.harness, next, 60_000);
	}

	await first.harness.press('ctrl+c');
	t.deepEqual(first.outcome(), {saved: undefined, openConsole: false});
	t.deepEqual(readdirSync(first.configDir), []);

	const second = await openWizard(t, {sandboxUrl: platform.url});
	t.regex(second.harness.frame(), /esc\/shift-tab cancel/);
	await second.harness.press('esc');
	t.deepEqual(second.outcome(), {openConsole: false});
	t.deepEqual(readdirSync(second.configDir), []);
});

type SshWorld = {home: string; sshd: SshdServer; knownHosts: string};

async function sshWorld(t: ExecutionContext): Promise<SshWorld> {
	const home = await makeTempDir('setup-ssh');
	await mkdir(join(home, '.ssh'), {mode: 0o700});
	const key = await makeClientKey(join(home, '.ssh'), 'id_ed25519');
	const sshd = await startSshd({authorizedKeys: [key.publicKey]});
	const knownHosts = join(home, '.ssh', 'known_hosts');
	await writeFile(knownHosts, '');
	await writeFile(join(home, '.ssh', 'config'), `Host app-host\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${key.path}\n  IdentitiesOnly yes\n\nHost *.internal\n  User deploy\n`);
	t.teardown(async () => {
		await sshd.stop();
		await removeTempDir(home);
	});
	return {home, sshd, knownHosts};
}

/** Platform: the SSH host, below the two that are not available yet. */
async function toSshHosts(harness: Harness): Promise<string> {
	// Past Render and Docker Compose.
	await harness.press('down', 'down', 'down', 'enter');
	return waitText(harness, 'Which SSH host?');
}

test('SSH host: a host of ~/.ssh/config, its unknown key shown and accepted, recorded, and the context saved', async t => {
	const world = await sshWorld(t);
	const {harness, configDir, outcome} = await openWizard(t, {homeDir: world.home, configDir: join(world.home, 'wheelhouse')});
	const hosts = await toSshHosts(harness);
	t.regex(flat(hosts), /\(•\) app-host\s+from ~\/\.ssh\/config/);
	t.notRegex(flat(hosts), /\*\.internal/, 'patterns are not hosts');
	await harness.press('enter');
	const question = await waitText(harness, 'can\'t be established', 10_000);
	t.true(question.includes(world.sshd.hostKeyFingerprint), question);
	t.regex(flat(question), /\[ Decline ]/, 'the question opens on Decline');
	await harness.press('y');
	const identity = await waitText(harness, 'Name this context', 10_000);
	t.regex(flat(identity), /SSH reaches .*127\.0\.0\.1/);
	t.regex(flat(identity), /Name: app-host/);
	t.true(readFileSync(world.knownHosts, 'utf8').includes(world.sshd.hostKey.split(' ')[1]!), 'the accepted key is recorded');
	await harness.press('enter');
	await waitText(harness, 'This is what will be saved');
	await harness.press('enter');
	const saved = await waitText(harness, 'Saved context app-host');
	t.regex(flat(saved), /`wheelhouse exec` opens a shell there/);
	t.deepEqual(json(join(configDir, 'config.json')), {version: 2, current: 'app-host', contexts: {'app-host': {platform: 'ssh', destination: 'app-host', environment: 'production', protected: true}}});
	t.false(existsSync(join(configDir, 'secrets.json')));
	await harness.press('enter');
	t.deepEqual(outcome(), {saved: 'app-host', openConsole: false}, 'an SSH host has no console to open');
});

test('SSH host: a declined host key is not recorded and the step says it was not accepted', async t => {
	const world = await sshWorld(t);
	const {harness} = await openWizard(t, {homeDir: world.home});
	await toSshHosts(harness);
	await harness.press('enter');
	await waitText(harness, 'can\'t be established', 10_000);
	await harness.press('n');
	const frame = await waitText(harness, 'was not accepted', 10_000);
	t.regex(flat(frame), /The host key of .*127\.0\.0\.1.* was not accepted; not connecting\./);
	t.regex(flat(frame), /step 2 of 4 · SSH host/);
	t.is(readFileSync(world.knownHosts, 'utf8'), '');
});

test('SSH host: a typed host nobody answers on is named, with the port', async t => {
	const world = await sshWorld(t);
	const port = await freePort();
	const {harness} = await openWizard(t, {homeDir: world.home});
	await toSshHosts(harness);
	await harness.press('down');
	await harness.type(`deploy@127.0.0.1:${port}`);
	await harness.press('enter');
	const frame = await harness.waitFor(/refused/, 10_000);
	t.regex(flat(frame), new RegExp(`nothing is listening on port ${port}`));
	t.regex(flat(frame), /step 2 of 4 · SSH host/);
});

test('a name that is taken, or not a name, is refused before the summary', async t => {
	const world = await sshWorld(t);
	const configDir = join(world.home, 'taken');
	await mkdir(configDir);
	await writeFile(join(configDir, 'config.json'), JSON.stringify({contexts: {'app-host': {platform: 'ssh', destination: 'elsewhere'}}}));
	const {harness} = await openWizard(t, {homeDir: world.home, configDir});
	await toSshHosts(harness);
	await harness.press('enter');
	await waitText(harness, 'can\'t be established', 10_000);
	await harness.press('right', 'enter');
	await waitText(harness, 'Name this context', 10_000);
	await harness.press('enter');
	await waitText(harness, 'A context named "app-host" already exists');
	t.regex(flat(harness.frame()), /wheelhouse context remove app-host/);
	await harness.press('ctrl+u');
	await harness.type('-bad name');
	await harness.press('enter');
	await waitText(harness, 'is not a usable context name');
});

test('a pasted token while NORTHFLANK_TOKEN is set: the summary warns which one will be used', async t => {
	const platform = await sandbox(t);
	const {harness} = await openWizard(t, {sandboxUrl: platform.url, environment: {NORTHFLANK_TOKEN: rejectedToken}});
	await harness.press('enter');
	await waitText(harness, 'Which Northflank API token');
	await harness.press('down');
	await harness.type(setupToken);
	await harness.press('enter');
	await waitText(harness, 'Which project?', 10_000);
	// No service, no addon, no job: the shortest way to the summary.
	for (const next of ['Which service', 'Which database', 'Which job', 'Name this context']) {
		await harness.press(...(next === 'Which service' ? ['enter'] : ['down', 'enter']));
		await waitText(harness, next, 10_000);
	}

	await harness.press('enter');
	const summary = await waitText(harness, 'This is what will be saved');
	t.regex(flat(summary), /▲ NORTHFLANK_TOKEN \(nf_…1a09\) is set in this shell and is used instead; unset it to use this one\./);
	t.false(harness.output().includes(rejectedToken));
});
