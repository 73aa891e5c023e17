import '../helpers/force-colour.js';
import test from 'ava';
import {openRelease, patience, renderRunbookApp} from '../helpers/runbook-app.js';

const red = 1;
const green = 2;
const yellow = 3;

test('production stands out in red reverse video; marks and impact tags are coloured', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40});
	const run = await openRelease(app);
	t.like(app.harness.styleOf('PRODUCTION'), {foreground: red, inverse: true, bold: true});
	t.like(app.harness.styleOf('[destructive]'), {foreground: red, bold: true});
	t.like(app.harness.styleOf('[mutate]'), {foreground: yellow});
	run.preflight([{level: 'block', check: 'release lock', message: 'held by bob'}]);
	await app.harness.waitFor('✖ block', patience);
	t.like(app.harness.styleOf('✖ block'), {foreground: red, bold: true});
	run.step('preflight', 'succeeded');
	run.step('backup', 'failed');
	await app.harness.waitFor('✗ 2.', patience);
	t.like(app.harness.styleOf('✓ 1.'), {foreground: green});
	t.like(app.harness.styleOf('✗ 2.'), {foreground: red});
	await app.harness.unmount();
});

test('the focused dialog button is in reverse video; a destructive question has a red frame', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40});
	const run = await openRelease(app);
	run.confirm({stepId: 'migrate'});
	await app.harness.waitFor('Run "Apply migrations"?', patience);
	t.like(app.harness.styleOf('[ Cancel ]'), {inverse: true, foreground: red});
	t.like(app.harness.styleOf('Run step'), {inverse: false});
	t.like(app.harness.styleOf('┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓'), {foreground: red});
	await app.harness.unmount();
});
