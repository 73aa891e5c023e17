// Safety rails in the console: a protected context's restart and build need its name typed, a
// read-only one offers nothing that changes the deployment, and the header always names the context
// and its environment (production in red). The first screen without contexts offers setup.
import '../helpers/force-colour.js';
import test from 'ava';
import {App, type DashboardContext} from '../../source/ui/app.js';
import {createFakeLiveSource} from '../helpers/fake-live-source.js';
import {createManualClock} from '../helpers/manual-clock.js';
import {recordingActions, renderApp} from '../helpers/render-app.js';
import {renderHarness} from '../helpers/render-harness.js';
import {seedLiveState, seedNow} from '../helpers/seed-snapshot.js';

const production: DashboardContext = {name: 'prod', sandbox: false, platform: 'northflank', environment: 'production', protected: true};
const statusLine = (lines: string[]): string => lines.at(-2) ?? '';

test('the header names the context and its environment: production in red capitals, staging plainly', async t => {
	const prod = await renderApp({context: production, actions: recordingActions()});
	t.regex(prod.harness.lines()[0]!, /^wheelhouse prod {2}PRODUCTION /);
	t.like(prod.harness.styleOf('PRODUCTION'), {foreground: 1, inverse: true, bold: true});
	await prod.harness.unmount();

	for (const columns of [80, 60]) {
		const staging = await renderApp({columns, context: {name: 'eu-west', sandbox: false, platform: 'northflank', environment: 'staging', readOnly: true}});
		t.regex(staging.harness.lines()[0]!, /eu-west staging/, `${columns} columns`);
		t.like(staging.harness.styleOf('staging'), {foreground: 3});
		await staging.harness.unmount();
	}
});

test('on a protected context, restart needs the context name typed: y, a wrong name and enter do nothing', async t => {
	const actions = recordingActions();
	const {harness} = await renderApp({context: production, actions});
	await harness.press(':');
	await harness.type('restart');
	await harness.press('enter');
	let frame = harness.frame();
	t.true(frame.includes('Restart notechondria-backend?'));
	t.true(frame.includes('Context: prod · production · protected'));
	t.true(frame.includes('This context is protected. Type prod to confirm:'));
	t.false(frame.includes('[ Cancel ]'), 'no buttons: only the name confirms');
	await harness.press('y', 'enter');
	frame = harness.frame();
	t.true(frame.includes('> y▏'), 'y is typed, not taken as yes');
	t.true(frame.includes('That is not the context\'s name; nothing was done.'));
	t.deepEqual(actions.calls, []);
	await harness.press('ctrl+u');
	await harness.type('prod');
	await harness.press('enter');
	t.deepEqual(actions.calls, [{action: 'restartService', serviceId: 'notechondria-backend'}]);
	await harness.waitFor('Restart requested for notechondria-backend');
	await harness.unmount();
});

test('on a protected context, build takes the typed name and enter in one burst; esc cancels', async t => {
	const actions = recordingActions();
	const {harness} = await renderApp({context: production, actions});
	await harness.press(':');
	await harness.type('build');
	await harness.press('enter');
	await harness.type('pro');
	await harness.press('esc');
	t.regex(statusLine(harness.lines()), /Cancelled; nothing was changed/);
	t.deepEqual(actions.calls, []);
	await harness.press(':');
	await harness.type('build');
	await harness.press('enter');
	await harness.type('prod\r');
	t.deepEqual(actions.calls, [{action: 'startBuild', serviceId: 'notechondria-backend'}]);
	await harness.unmount();
});

test('an unprotected context keeps the quick dialog (y confirms)', async t => {
	const actions = recordingActions();
	const {harness} = await renderApp({context: {name: 'dev', sandbox: false, platform: 'northflank', environment: 'development'}, actions});
	await harness.press(':');
	await harness.type('restart');
	await harness.press('enter', 'y');
	t.deepEqual(actions.calls, [{action: 'restartService', serviceId: 'notechondria-backend'}]);
	await harness.unmount();
});

test('a read-only context has no build, restart or shell: not in the palette, not on a key, not in the hints', async t => {
	const {harness} = await renderApp({context: {name: 'prod', sandbox: false, platform: 'northflank', environment: 'production', readOnly: true}, logs: true});
	t.regex(harness.lines()[0]!, /PRODUCTION {2}read-only/);
	t.false(harness.lines().at(-1)!.includes('shell'));
	await harness.press('s');
	t.false(harness.frame().includes('opening a shell'));
	await harness.press(':');
	for (const command of ['build', 'restart', 'shell', 'release', 'rollback', 'backup']) {
		await harness.type(command);
		// `build` prefixes `builds` (a pane): only the command itself must be missing.
		t.notRegex(statusLine(harness.lines()), new RegExp(`[▸ ]${command}\\b`), command);
		await harness.press('ctrl+u');
	}

	await harness.unmount();
});

test('the first screen without any context offers setup: S leaves the console for it', async t => {
	const source = createFakeLiveSource(seedLiveState());
	let setups = 0;
	const harness = renderHarness(<App source={source} context={{name: 'sandbox', sandbox: true, platform: 'northflank'}} clock={createManualClock(seedNow)} onSetup={() => {
		setups++;
	}}/>, {columns: 80, rows: 24});
	await harness.settle();
	t.regex(statusLine(harness.lines()), /This is the sandbox; no context of yours yet\. Press S to set one up \(guided\)\./);
	t.regex(harness.lines().at(-1)!, /S set up/);
	await harness.press('S');
	t.is(setups, 1);
	await harness.unmount();

	const configured = await renderApp();
	t.false(configured.harness.frame().includes('Press S'), 'with contexts there is no offer');
	await configured.harness.press('S');
	t.false(configured.harness.frame().includes('setup'));
	await configured.harness.unmount();
});
