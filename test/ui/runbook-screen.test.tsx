import test from 'ava';
import {screenBindings} from '../../source/ui/keymap.js';
import {createFakeRunSource, releaseSteps} from '../helpers/fake-run-source.js';
import {openRelease, paletteRun, patience, renderRunbookApp, runbookFitProblem} from '../helpers/runbook-app.js';

const statusLine = (lines: string[]): string => lines.at(-2) ?? '';

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
	test(`at ${columns}×${rows} the plan shows before the first step starts, and the frame fits`, async t => {
		const app = await renderRunbookApp({columns, rows});
		const run = await openRelease(app);
		const frame = app.harness.frame();
		t.deepEqual(app.requests, [{kind: 'release', service: {id: 'notechondria-backend', name: 'notechondria-backend'}}]);
		const header = app.harness.lines()[0] ?? '';
		for (const part of ['Release', 'notechondria-backend', 'notechondria-prod', 'PRODUCTION', '· planned']) {
			t.true(header.includes(part), part);
		}

		for (const [index, step] of releaseSteps.entries()) {
			t.regex(frame, new RegExp(`· ${index + 1}\\. ${step.title}`), step.title);
		}

		t.regex(frame, /Back up notechondria-postgres +\[mutate\]/);
		t.regex(frame, /Apply migrations +\[destructive\]/);
		t.regex(frame, /Step 1\/7 · Preflight checks/);
		t.true(frame.includes('Check the build, the database and the lock'));
		t.is(runbookFitProblem(app.harness, 'Release', 'back'), undefined);
		t.is(run.answers.length, 0);
		await app.harness.unmount();
	});
}

test('preflight findings show before the first step, blocking ones first with their hint', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.preflight([
		{level: 'ok', check: 'target build', message: 'jolly-orbit-8845 built'},
		{level: 'info', check: 'migrations', message: '1 to apply'},
		{level: 'warn', check: 'idle in transaction', message: '2 sessions idle', hint: 'they may hold locks the migration needs'},
		{level: 'block', check: 'release lock', message: 'held by bob since 03:01', hint: 'wait for bob, or break the lock with --break-lock'},
	]);
	await app.harness.waitFor('Preflight · ✖ 1 blocking, 1 warning', patience);
	const lines = app.harness.lines();
	const row = (text: string) => lines.findIndex(line => line.includes(text));
	t.true(row('✖ block release lock') >= 0);
	t.true(row('→ wait for bob') === row('✖ block release lock') + 1);
	t.true(row('▲ warn  idle in transaction') > row('✖ block'));
	t.true(row('i info  migrations') > row('▲ warn'));
	t.true(row('✓ ok    target build') > row('i info'));

	run.finish('failed');
	await app.harness.waitFor('✖ failed', patience);
	t.regex(statusLine(app.harness.lines()), /✖ Release failed: preflight blocked it \(release lock\)\. esc back/);
	t.true(app.harness.frame().includes('✖ block release lock'), 'the findings stay once the run is refused');
	await app.harness.unmount();
});

test('steps show their marks; the running one follows, j/k pick another to preview', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.step('preflight', 'succeeded', {outcome: 'nothing in the way'});
	run.step('backup', 'running');
	await app.harness.waitFor('◌ 2. Back up notechondria-postgres', patience);
	t.regex(app.harness.frame(), /✓ 1\. Preflight checks/);
	t.regex(app.harness.frame(), /Step 2\/7 · Back up notechondria-postgres/);
	t.true(app.harness.frame().includes('equivalent: northflank backup addon'));
	t.regex(statusLine(app.harness.lines()), /◌ Back up notechondria-postgres…/);

	run.step('backup', 'failed', {failure: {stepId: 'backup', class: 'retryable', message: 'the addon is busy'}});
	run.step('verify-backup', 'skipped');
	await app.harness.waitFor('✗ 2. Back up', patience);
	await app.harness.waitFor('– 3. Verify the backup', patience);
	await app.harness.press('k');
	await app.harness.waitFor(/Step 1\/7 · Preflight checks/, patience);
	t.true(app.harness.frame().includes('✓ nothing in the way'));
	await app.harness.press('j');
	await app.harness.waitFor('✗ retryable: the addon is busy', patience);
	await app.harness.unmount();
});

test('tab shows the journal of finished steps with time and outcome, and tab again the live log', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40});
	const run = await openRelease(app);
	run.step('preflight', 'running');
	run.log('checking the lock', 'checking the build');
	run.step('preflight', 'succeeded', {outcome: 'nothing in the way'});
	run.step('backup', 'running');
	run.log('backup b-7 started');
	await app.harness.waitFor('backup b-7 started', patience);
	await app.harness.press('tab');
	const journal = await app.harness.waitFor('Journal · 1 of 7 steps finished', patience);
	t.regex(journal, /\d\d:\d\d:\d\d ✓ Preflight checks +nothing in the way/);
	t.false(journal.includes('backup b-7 started'));
	await app.harness.press('tab');
	await app.harness.waitFor('backup b-7 started', patience);
	await app.harness.unmount();
});

test('q while the run goes on asks first; going back and :release again returns to the same run', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.step('preflight', 'running');
	await app.harness.press('q');
	await app.harness.waitFor('The run keeps going on the platform; leave?', patience);
	t.regex(app.harness.frame(), /\[ Cancel \] +Leave/);
	await app.harness.press('enter');
	await app.harness.waitFor(frame => !frame.includes('leave?'), patience);
	t.true(app.harness.frame().includes('Plan · 0/7 done'), 'enter on Cancel stays on the run');
	await app.harness.press('esc', 'y');
	await app.harness.waitFor('Services (1)', patience);
	t.is(app.quits(), 0);
	await paletteRun(app.harness, 'release');
	await app.harness.waitFor('◌ 1. Preflight checks', patience);
	t.is(app.requests.length, 1, 'no second run was started');
	t.is(run.listenerCount, 1);
	await app.harness.unmount();
});

test('a run left with a question open still asks it when :release returns to it', async t => {
	const app = await renderRunbookApp();
	const waiting = await openRelease(app);
	waiting.step('preflight', 'running');
	await app.harness.press('q');
	await app.harness.waitFor('leave?', patience);
	await app.harness.press('y');
	await app.harness.waitFor('Services (1)', patience);
	waiting.confirm({stepId: 'backup'});
	await paletteRun(app.harness, 'release');
	const frame = await app.harness.waitFor('Run "Back up', patience);
	t.regex(frame, /\[ Cancel \] +Run step/);
	t.deepEqual(waiting.answers, [], 'the Enter that ran :release is not an answer');
	await app.harness.unmount();
});

test('a finished run goes back with esc at once, and a new release starts a new run', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.step('preflight', 'succeeded');
	run.finish('succeeded');
	await app.harness.waitFor('✔ Release succeeded. esc back to the dashboard.', patience);
	await app.harness.press('esc');
	await app.harness.waitFor('Services (1)', patience);
	t.is(run.listenerCount, 0, 'the screen let go of the run');
	await openRelease(app);
	t.is(app.requests.length, 2);
	await app.harness.unmount();
});

test('s asks to stop after the current step; y stops, n does not', async t => {
	const app = await renderRunbookApp();
	const run = await openRelease(app);
	run.step('preflight', 'running');
	await app.harness.press('s');
	await app.harness.waitFor('Stop after the current step?', patience);
	await app.harness.press('n');
	t.is(run.stops, 0);
	t.regex(statusLine(app.harness.lines()), /Not stopping; the run goes on\./);
	await app.harness.press('s', 'y');
	t.is(run.stops, 1);
	t.regex(statusLine(app.harness.lines()), /Stopping after the current step…/);
	await app.harness.unmount();
});

test('? lists the keys of the runbook screen from the keymap; esc closes it', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40});
	await openRelease(app);
	await app.harness.press('?');
	const frame = await app.harness.waitFor('Help — runbook keys', patience);
	for (const binding of screenBindings.filter(candidate => candidate.scope.startsWith('runbook'))) {
		t.true(frame.includes(binding.description), binding.description);
	}

	await app.harness.press('esc');
	await app.harness.waitFor('Plan · 0/7 done', patience);
	await app.harness.unmount();
});

test(':backup asks for the selected addon; a refused start is said on the dashboard', async t => {
	const app = await renderRunbookApp({run: () => createFakeRunSource(), refuse: 'the release lock is held by bob (run r-1)'});
	await paletteRun(app.harness, 'backup');
	await app.harness.waitFor('Could not start the backup', patience);
	t.deepEqual(app.requests, [{kind: 'backup', addon: {id: 'notechondria-postgres', name: 'notechondria-postgres'}}]);
	t.regex(statusLine(app.harness.lines()), /Could not start the backup: the release lock is held by bob \(run r-1\)/);
	t.true(app.harness.frame().includes('Services (1)'));
	await app.harness.unmount();
});

test('no two screen bindings in one scope claim the same key', t => {
	const seen = new Set<string>();
	for (const binding of screenBindings) {
		for (const key of binding.keys) {
			const id = `${binding.scope} ${key}`;
			t.false(seen.has(id), id);
			seen.add(id);
		}
	}
});
