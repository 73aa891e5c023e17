import test from 'ava';
import {paletteCommands} from '../../source/ui/commands.js';
import {renderApp} from '../helpers/render-app.js';
import {paletteRun, patience, renderRunbookApp} from '../helpers/runbook-app.js';

const statusLine = (lines: string[]): string => lines.at(-2) ?? '';

test('read-only contexts have no release, rollback or backup in the palette; history stays', async t => {
	const app = await renderRunbookApp({readOnly: true, columns: 120, rows: 40});
	await app.harness.press(':');
	await app.harness.type('r');
	t.false(statusLine(app.harness.lines()).includes('release'));
	t.false(statusLine(app.harness.lines()).includes('rollback'));
	await app.harness.press('backspace');
	await app.harness.type('ba');
	t.regex(statusLine(app.harness.lines()), /no such command/);
	await app.harness.press('esc');
	await paletteRun(app.harness, 'release');
	t.regex(statusLine(app.harness.lines()), /No command "release"/);
	t.deepEqual(app.requests, []);
	await paletteRun(app.harness, 'history');
	await app.harness.waitFor('Run history', patience);
	await app.harness.unmount();
});

test('with actions the palette offers release, rollback and backup', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40});
	await app.harness.press(':');
	await app.harness.type('r');
	t.regex(statusLine(app.harness.lines()), /▸refresh +restart +release +rollback/);
	await app.harness.press('esc', ':');
	await app.harness.type('ba');
	t.regex(statusLine(app.harness.lines()), /▸backup — Back up the selected addon/);
	await app.harness.unmount();
});

test('without openRunbook and listRuns none of the four commands exists', async t => {
	t.false(paletteCommands(true, {logs: true, shell: true}).some(command => ['release', 'rollback', 'backup', 'history'].includes(command.name)));
	const {harness} = await renderApp();
	await paletteRun(harness, 'history');
	t.regex(statusLine(harness.lines()), /No command "history"/);
	await harness.unmount();
});

test(':rollback asks for the selected service', async t => {
	const app = await renderRunbookApp();
	await paletteRun(app.harness, 'rollback');
	await app.harness.waitFor('━ Plan · ', patience);
	t.deepEqual(app.requests, [{kind: 'rollback', service: {id: 'notechondria-backend', name: 'notechondria-backend'}}]);
	await app.harness.unmount();
});
