import test from 'ava';
import {openRelease, patience, renderRunbookApp} from '../helpers/runbook-app.js';

const statusLine = (lines: string[]): string => lines.at(-2) ?? '';

test('a confirmation opens on Cancel: enter as it opens cancels and the step does not run', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.step('preflight', 'succeeded');
	run.confirm({stepId: 'backup'});
	const frame = await app.harness.waitFor('Run "Back up notechondria-postgres"?', patience);
	t.regex(frame, /\[ Cancel \] +Run step/, 'Cancel is highlighted, the action is not');
	t.true(frame.includes('This changes the deployment.'));
	t.regex(frame, /›· 2\. Back up notechondria-postgres/, 'the plan shows the step asked about');
	await app.harness.press('enter');
	t.deepEqual(run.answers, [false]);
	await app.harness.waitFor(frame => !frame.includes('Run "Back up'), patience);
	t.regex(statusLine(app.harness.lines()), /Cancelled; the step was not run\./);
	await app.harness.unmount();
});

test('y runs the step; → then enter does too; n and esc cancel', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.confirm({stepId: 'backup'});
	await app.harness.waitFor('Run "Back up', patience);
	await app.harness.press('y');
	t.deepEqual(run.answers, [true]);

	run.confirm({stepId: 'deploy'});
	await app.harness.waitFor('Run "Deploy jolly-orbit-8845"?', patience);
	await app.harness.press('right');
	await app.harness.waitFor(/ Cancel +\[ Run step \]/, patience);
	await app.harness.press('enter');
	t.deepEqual(run.answers, [true, true]);

	for (const key of ['n', 'esc']) {
		run.confirm({stepId: 'health'});
		await app.harness.waitFor('Run "Check health"?', patience);
		await app.harness.press(key);
		await app.harness.waitFor(frame => !frame.includes('Run "Check health"?'), patience);
	}

	t.deepEqual(run.answers, [true, true, false, false]);
	await app.harness.unmount();
});

test('the same question asked again after an answer opens again, on Cancel', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.confirm({stepId: 'backup'});
	await app.harness.waitFor('Run "Back up', patience);
	await app.harness.press('right', 'n');
	run.confirm({stepId: 'backup'});
	const frame = await app.harness.waitFor('Run "Back up', patience);
	t.regex(frame, /\[ Cancel \] +Run step/);
	t.deepEqual(run.answers, [false]);
	await app.harness.unmount();
});

test('a typed confirmation refuses a wrong name, shows what is typed, and accepts the exact name', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.confirm({stepId: 'migrate', impact: 'destructive', typeToConfirm: 'notechondria-backend'});
	await app.harness.waitFor('Type notechondria-backend to confirm:', patience);
	await app.harness.type('notechondria-backen');
	await app.harness.waitFor('› notechondria-backen▏', patience);
	await app.harness.press('enter');
	await app.harness.waitFor('✗ That is not notechondria-backend: type it exactly', patience);
	t.deepEqual(run.answers, [], 'nothing answered yet');
	// y and n are text here, not buttons.
	await app.harness.type('dy');
	await app.harness.press('enter');
	t.deepEqual(run.answers, []);
	await app.harness.press('backspace');
	await app.harness.waitFor(frame => !frame.includes('That is not'), patience);
	await app.harness.press('enter');
	t.deepEqual(run.answers, [true]);
	await app.harness.waitFor(frame => !frame.includes('Type notechondria-backend'), patience);
	await app.harness.unmount();
});

test('a typed confirmation takes a paste ending in enter; esc cancels one', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.confirm({stepId: 'migrate', typeToConfirm: 'notechondria-backend'});
	await app.harness.waitFor('Type notechondria-backend', patience);
	await app.harness.type('notechondria-backend\r');
	t.deepEqual(run.answers, [true]);

	run.confirm({stepId: 'deploy', typeToConfirm: 'notechondria-prod'});
	await app.harness.waitFor('Type notechondria-prod', patience);
	await app.harness.type('note');
	await app.harness.press('esc');
	t.deepEqual(run.answers, [true, false]);
	await app.harness.unmount();
});

test('an override question is answered with the words typed, or nothing when cancelled', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.ask({title: 'Override the idle-in-transaction gate?', lines: ['2 sessions are idle in transaction.'], expect: 'override idle sessions'});
	await app.harness.waitFor('Type override idle sessions to confirm:', patience);
	await app.harness.type('override idle sessions');
	await app.harness.press('enter');
	t.deepEqual(run.answers, ['override idle sessions']);
	run.ask({title: 'Override again?', lines: [], expect: 'override'});
	await app.harness.waitFor('Override again?', patience);
	await app.harness.press('esc');
	t.deepEqual(run.answers, ['override idle sessions', undefined]);
	await app.harness.unmount();
});

const afterFailure = {
	title: 'Apply migrations failed: what next?',
	lines: ['statement timeout after 30s; the schema may be half-migrated'],
	actions: [
		{id: 'reconcile', label: 'Re-read the migration state', explanation: 'Asks the database which migrations are applied'},
		{id: 'restore-backup', label: 'Restore backup b-7'},
		{id: 'rollback-app', label: 'Roll the app back to calm-meadow-3304'},
	],
};

test('after a failure the next actions are listed, numbered, with Stop here highlighted first', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.step('migrate', 'failed', {failure: {stepId: 'migrate', class: 'schema-unknown', message: 'statement timeout'}});
	run.choose(afterFailure);
	const frame = await app.harness.waitFor('Apply migrations failed: what next?', patience);
	t.regex(frame, / {3}1\. Re-read the migration state/);
	t.regex(frame, / {3}2\. Restore backup b-7/);
	t.regex(frame, / {3}3\. Roll the app back to calm-meadow-3304/);
	t.regex(frame, /› 4\. Stop here/);
	await app.harness.press('up', 'up');
	await app.harness.waitFor(/› 2\. Restore backup b-7/, patience);
	await app.harness.press('1');
	await app.harness.waitFor(/› 1\. Re-read the migration state/, patience);
	t.true(app.harness.frame().includes('Asks the database which migrations are applied'));
	await app.harness.press('down', 'down', 'enter');
	t.deepEqual(run.answers, ['rollback-app']);
	await app.harness.unmount();
});

test('enter on Stop here, or esc, answers with no action', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.choose(afterFailure);
	await app.harness.waitFor('what next?', patience);
	await app.harness.press('enter');
	run.choose(afterFailure);
	await app.harness.waitFor('what next?', patience);
	await app.harness.press('esc');
	t.deepEqual(run.answers, [undefined, undefined]);
	t.regex(statusLine(app.harness.lines()), /Stopping here\./);
	await app.harness.unmount();
});

test('ctrl-c quits even with a question open', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.confirm({stepId: 'backup'});
	await app.harness.waitFor('Run "Back up', patience);
	await app.harness.press('ctrl+c');
	t.is(app.quits(), 1);
	t.deepEqual(run.answers, []);
	await app.harness.unmount();
});

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
	test(`at ${columns}×${rows} a question with many lines keeps its buttons and fits`, async t => {
		const app = await renderRunbookApp({columns, rows});
		const run = await openRelease(app);
		run.confirm({stepId: 'migrate', lines: Array.from({length: 30}, (_, index) => `detail line ${index} ${'about the migration '.repeat(5)}`)});
		const frame = await app.harness.waitFor('Run "Apply migrations"?', patience);
		t.regex(frame, /\[ Cancel \] +Run step/);
		t.true(frame.includes('detail line 0'));
		t.deepEqual(app.harness.wrappedRows(), []);
		t.true(app.harness.lines().at(-1)?.includes('cancel'));
		await app.harness.unmount();
	});
}
