import '../helpers/force-colour.js';
import test from 'ava';
import type {DashboardSnapshot} from '../../source/core/types.js';
import {logLine} from '../helpers/fake-log-source.js';
import {openLogView} from '../helpers/log-view.js';
import {seedLiveState, seedSnapshot} from '../helpers/seed-snapshot.js';

const red = 1;
const green = 2;
const yellow = 3;

test('levels are coloured as well as marked: errors red, warnings yellow, debug dim', async t => {
	const app = await openLogView({lines: [logLine('ERROR boom'), logLine('WARNING slow'), logLine('DEBUG detail'), logLine('INFO fine')]});
	t.is(app.harness.styleOf('✖ ERROR boom')?.foreground, red);
	t.is(app.harness.styleOf('ERROR boom')?.foreground, red);
	t.is(app.harness.styleOf('WARNING slow')?.foreground, yellow);
	t.true(app.harness.styleOf('DEBUG detail')?.dim);
	t.is(app.harness.styleOf('INFO fine')?.foreground, undefined);
	await app.harness.unmount();
});

test('a line\'s own SGR colours survive; everything else it carried never reaches the terminal', async t => {
	const app = await openLogView({lines: [logLine('\u001B[32mgreen text\u001B[0m plain \u001B]52;c;cm0gLXJmIH4=\u0007\u001B]0;owned\u0007\u001B[2J\u001B[5;5H\u009B31m end')]});
	t.is(app.harness.styleOf('green text')?.foreground, green);
	t.is(app.harness.styleOf('plain')?.foreground, undefined);
	const output = app.harness.output();
	t.false(output.includes('cm0gLXJmIH4='), 'no OSC 52 from a log line');
	t.false(output.includes('owned'), 'no title from a log line');
	t.false(output.includes('\u009B'), 'no 8-bit CSI');
	t.regex(app.harness.frame(), /green text plain {2}end/);
	await app.harness.unmount();
});

function twoServices(): DashboardSnapshot {
	const snapshot = seedSnapshot();
	snapshot.services.push({...snapshot.services[0]!, id: 'notechondria-worker', name: 'notechondria-worker'});
	return snapshot;
}

test('merged sources get a colour each for their prefix', async t => {
	const app = await openLogView({state: {...seedLiveState(), snapshot: twoServices()}, keys: ['L']});
	app.logs.emit([logLine('one', {source: 'notechondria-backend'}), logLine('two', {source: 'notechondria-worker'})]);
	await app.harness.waitFor('two');
	const backend = app.harness.styleOf('backend   one')?.foreground;
	const worker = app.harness.styleOf('worker    two')?.foreground;
	t.truthy(backend);
	t.truthy(worker);
	t.not(backend, worker);
	t.not(backend, red);
	await app.harness.unmount();
});
