import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {processRedactor} from '../../source/infra/redact.js';
import {createRunViewStore} from '../../source/ui/runbook/run-view-store.js';
import {createFakeRunSource} from '../helpers/fake-run-source.js';
import {openRelease, patience, renderRunbookApp, runbookFitProblem} from '../helpers/runbook-app.js';

test('the log pane follows the newest lines and stays inside an 80×24 terminal, whatever the lines hold', async t => {
	const app = await renderRunbookApp({columns: 80, rows: 24});
	const run = await openRelease(app);
	run.step('preflight', 'succeeded');
	run.step('backup', 'running');
	run.log(
		'line A long: ' + 'x'.repeat(300),
		'line B wide: 数据库备份完成 ✓ ' + '漢'.repeat(60),
		'line C hostile: \u001B]0;pwned\u0007\u001B[2J\u001B[H\u001B]52;c;ZXZpbA==\u0007cleared?',
		'line D tabs\tand\r\ncarriage returns',
	);
	run.log(...Array.from({length: 200}, (_, index) => `pg_dump: dumping table ${index}`));
	await app.harness.waitFor('pg_dump: dumping table 199', patience);
	const frame = app.harness.frame();
	t.false(frame.includes('pg_dump: dumping table 0\n'), 'old lines scrolled away');
	t.regex(frame, /Log · Back up notechondria-postgres · 204 lines/);
	const lines = app.harness.lines();
	t.regex(lines.at(-4) ?? '', /pg_dump: dumping table 199/, 'the newest line is the last of the pane');
	t.is(runbookFitProblem(app.harness, 'Release', 'back'), undefined);

	run.log('line E after');
	await app.harness.waitFor('line E after', patience);
	t.is(runbookFitProblem(app.harness, 'Release', 'back'), undefined);

	// The hostile lines: shown as text, nothing of them reaches the terminal as a control sequence.
	run.update(view => ({...view, log: view.log.slice(0, 4)}));
	await app.harness.waitFor('line C hostile', patience);
	t.true(app.harness.frame().includes('line D tabs and'));
	t.is(runbookFitProblem(app.harness, 'Release', 'back'), undefined);
	const output = app.harness.output();
	t.false(output.includes('\u001B]0;'), 'no title change');
	t.false(output.includes('\u001B]52;'), 'no clipboard write');
	t.false(output.includes('\u0007'), 'no bell');
	t.is(app.harness.screen(), 'alternate');
	await app.harness.unmount();
});

test('at most ten frames a second however fast the run publishes', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40, frameMs: 100});
	const run = await openRelease(app);
	run.step('backup', 'running');
	await app.harness.settle();
	// Ink wraps each frame in a synchronized-output block: count the blocks.
	const frameCount = () => app.harness.stdout.chunks.filter(chunk => chunk === '\u001B[?2026h').length;
	const before = frameCount();
	const started = performance.now();
	for (let burst = 0; burst < 30; burst++) {
		run.log(...Array.from({length: 10}, (_, index) => `line ${(burst * 10) + index}`));
		await sleep(33);
	}

	await app.harness.waitFor('line 299', patience);
	const seconds = (performance.now() - started) / 1000;
	const frames = frameCount() - before;
	t.log(`${frames} frames in ${seconds.toFixed(2)} s for 300 published views`);
	t.true(frames <= Math.ceil(seconds * 10) + 2, `${frames} frames in ${seconds.toFixed(2)} s`);
	t.true(frames >= 2, 'the log moved on screen while lines came in');
	await app.harness.unmount();
});

test('secrets the process knows never reach the screen, in the log, a question or a finding', async t => {
	const secret = 'nfp_0123456789abcdefSECRET';
	processRedactor.add(secret);
	const app = await renderRunbookApp({columns: 120, rows: 40});
	const run = await openRelease(app);
	run.preflight([{level: 'warn', check: 'token', message: `token ${secret} expires soon`}]);
	await app.harness.waitFor('expires soon', patience);
	run.step('backup', 'running');
	run.log(`connecting with ${secret}`);
	run.confirm({stepId: 'deploy', lines: [`uses ${secret}`]});
	await app.harness.waitFor('Run "Deploy', patience);
	await app.harness.waitFor('connecting with', patience);
	t.false(app.harness.output().includes(secret));
	t.false(app.harness.output().includes('SECRET'));
	t.true(app.harness.frame().includes('connecting with nfp…CRET'));
	await app.harness.unmount();
});

test('the view store hands React one view a frame: a burst of changes shows once, with the newest', async t => {
	const run = createFakeRunSource();
	const store = createRunViewStore(run, 100);
	let notified = 0;
	const unsubscribe = store.subscribe(() => {
		notified++;
	});
	await sleep(120);
	notified = 0;
	run.log('first');
	t.is(notified, 1, 'a change after a quiet frame shows at once');
	for (let index = 0; index < 50; index++) {
		run.log(`burst ${index}`);
	}

	t.is(notified, 1, 'the burst waits for the next frame');
	await sleep(150);
	t.is(notified, 2);
	t.is(store.getSnapshot().view.log.at(-1), 'burst 49');
	unsubscribe();
	t.is(run.listenerCount, 0, 'the store lets go of the run with its last subscriber');
});
