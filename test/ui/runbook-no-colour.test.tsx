import '../helpers/no-colour.js';
import test from 'ava';
import {releaseJournal} from '../helpers/fake-run-source.js';
import {openRelease, paletteRun, patience, renderRunbookApp} from '../helpers/runbook-app.js';

const sgr = /\u001B\[[\d;]*m/;

test('without colour no style codes are written, and states read as marks and words', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40, journals: [releaseJournal({status: 'failed'})]});
	const run = await openRelease(app);
	run.preflight([{level: 'block', check: 'release lock', message: 'held by bob'}, {level: 'ok', check: 'build', message: 'built'}]);
	await app.harness.waitFor('✖ block release lock', patience);
	run.step('preflight', 'succeeded');
	run.step('backup', 'failed');
	run.step('verify-backup', 'skipped');
	run.step('migrate', 'running');
	run.confirm({stepId: 'deploy'});
	const frame = await app.harness.waitFor('Run "Deploy', patience);
	for (const mark of ['✓ 1.', '✗ 2.', '– 3.', '◌ 4.', '· 6.', '[destructive]', '[mutate]', 'PRODUCTION', '[ Cancel ]']) {
		t.true(frame.includes(mark), mark);
	}

	await app.harness.press('right');
	await app.harness.waitFor('[ Run step ]', patience);
	await app.harness.press('n');
	run.choose({title: 'Deploy failed: what next?', lines: [], actions: [{id: 'retry', label: 'Retry'}]});
	await app.harness.waitFor('› 2. Stop here', patience);
	await app.harness.press('esc');
	run.finish('failed');
	await app.harness.waitFor('✖ failed', patience);
	await app.harness.press('esc');
	await paletteRun(app.harness, 'history');
	await app.harness.waitFor('✖ failed', patience);
	t.false(sgr.test(app.harness.output()));
	await app.harness.unmount();
});
