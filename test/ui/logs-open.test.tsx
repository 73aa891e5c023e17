import test from 'ava';
import {bindings} from '../../source/ui/keymap.js';
import {numberedLines} from '../helpers/fake-log-source.js';
import {logRows, openLogView} from '../helpers/log-view.js';
import {recordingActions, renderApp} from '../helpers/render-app.js';

test('l opens the logs of the selected service; esc goes back to the dashboard and stops the tail', async t => {
	const app = await openLogView({lines: numberedLines(5)});
	t.deepEqual(app.logs.targets, [{kind: 'service', id: 'notechondria-backend', name: 'notechondria-backend'}]);
	t.true(app.logs.started);
	t.regex(app.harness.lines()[1] ?? '', /^Logs · notechondria-backend/);
	t.regex(app.harness.lines()[0] ?? '', /SANDBOX/, 'the header stays');
	await app.harness.press('esc');
	t.true(app.logs.stopped);
	t.regex(app.harness.frame(), /Services \(1\)/);
	await app.harness.unmount();
});

test('builds, addons and jobs open their own logs; a job its latest run', async t => {
	const app = await renderApp({logs: true});
	await app.harness.press('tab', 'l');
	t.deepEqual(app.logSources.at(-1)?.targets, [{kind: 'build', id: 'jolly-orbit-8845', name: 'jolly-orbit-8845', serviceId: 'notechondria-backend'}]);
	t.regex(app.harness.lines()[1] ?? '', /Logs · build jolly-orbit-8845/);
	await app.harness.press('esc', 'tab', 'l');
	t.deepEqual(app.logSources.at(-1)?.targets, [{kind: 'addon', id: 'notechondria-postgres', name: 'notechondria-postgres'}]);
	await app.harness.press('esc', 'tab', 'l');
	const job = app.logSources.at(-1)?.targets[0];
	t.is(job?.kind, 'job');
	t.truthy(job?.kind === 'job' && job.runId, 'the latest run');
	t.regex(app.harness.lines()[1] ?? '', /Logs · job notechondria-migrate \(run /);
	t.true(app.logSources.slice(0, -1).every(source => source.stopped), 'each view stopped its tail when left');
	await app.harness.unmount();
});

test('enter on a detail view opens that item\'s logs', async t => {
	const app = await renderApp({logs: true});
	await app.harness.press('tab', 'j', 'enter');
	t.regex(app.harness.frame(), /happy-maple-7733/);
	await app.harness.press('enter');
	t.deepEqual(app.logSources.at(-1)?.targets.map(target => target.id), ['happy-maple-7733']);
	await app.harness.unmount();
});

test('the palette opens logs: :logs the selected item, :logs all every service', async t => {
	const app = await renderApp({logs: true});
	await app.harness.press(':');
	await app.harness.type('logs');
	await app.harness.press('enter');
	t.is(app.logSources.at(-1)?.targets[0]?.name, 'notechondria-backend');
	await app.harness.press(':');
	await app.harness.type('logs all');
	t.regex(app.harness.lines().at(-2) ?? '', /▸logs all — Logs of every service, merged/);
	await app.harness.press('enter');
	t.is(app.logSources.length, 2);
	t.true(app.logSources[0]?.stopped, 'opening another view stops the first tail');
	await app.harness.unmount();
});

test('without a log source the log keys and commands do not exist', async t => {
	const app = await renderApp({actions: recordingActions()});
	const before = app.harness.frame();
	t.notRegex(app.harness.lines().at(-1) ?? '', /logs/);
	await app.harness.press('l');
	t.is(app.harness.frame(), before);
	await app.harness.press(':');
	await app.harness.type('logs');
	t.regex(app.harness.lines().at(-2) ?? '', /no such command/);
	await app.harness.press('esc', '?');
	const help = app.harness.frame();
	t.false(help.includes('Log viewer'));
	t.false(help.includes('Logs of the selected service'));
	await app.harness.unmount();
});

test('? from the log viewer lists its keys, and esc returns to the lines', async t => {
	const app = await openLogView({columns: 120, rows: 40, lines: numberedLines(50)});
	await app.harness.press('?');
	const seen: string[] = [];
	for (let page = 0; page < 20; page++) {
		seen.push(...app.harness.lines());
		await app.harness.press('pagedown');
	}

	for (const binding of bindings.filter(candidate => candidate.scope === 'logs')) {
		t.true(seen.some(line => line.includes(binding.description)), binding.description);
	}

	t.true(app.logs.started && !app.logs.stopped, 'the tail runs on under the help');
	await app.harness.press('esc');
	t.regex(logRows(app).at(-1) ?? '', /line 49/);
	await app.harness.unmount();
});

test('the footer hints the log keys, from the keymap', async t => {
	const app = await openLogView({columns: 120, rows: 40});
	const footer = app.harness.lines().at(-1) ?? '';
	for (const hint of ['esc back', '/ search', 'n match', '& only', 'G/end follow', 's save', 'w wrap', 't time', '? help']) {
		t.true(footer.includes(hint), `${hint} in ${footer}`);
	}

	await app.harness.unmount();
});
