import {readdir, readFile} from 'node:fs/promises';
import {hostname} from 'node:os';
import test from 'ava';
import {ProviderError, WheelhouseError} from '../../../source/core/errors.js';
import {createJournal} from '../../../source/runbooks/engine/journal.js';
import {queueOperator, yesOperator} from '../../../source/runbooks/engine/operators.js';
import {LockHeldError} from '../../../source/runbooks/engine/release-lock.js';
import {RunbookRunner} from '../../../source/runbooks/engine/runner.js';
import type {RunView} from '../../../source/runbooks/types.js';
import {deadPid, effectStep, journalFor, provider, runbookOf, temporaryState, World} from './world.js';

async function answerAll(operator: ReturnType<typeof queueOperator>, answers: Array<boolean | string | undefined>): Promise<void> {
	for (const answer of answers) {
		await operator.next();
		operator.answer(answer);
	}
}

test('the whole plan is shown, every step pending, before anything runs', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'backup'), effectStep(world, 'migrate'), effectStep(world, 'deploy')]);
	const state = await temporaryState(t);
	const operator = queueOperator({name: 'alice'});
	const runner = new RunbookRunner({runbook, provider, operator, journal: journalFor(runbook), ...state});
	const before = runner.view();
	t.deepEqual(before.plan.map(step => [step.id, step.status, step.preview.summary]), [
		['backup', 'pending', 'Apply backup to notechondria-backend'],
		['migrate', 'pending', 'Apply migrate to notechondria-backend'],
		['deploy', 'pending', 'Apply deploy to notechondria-backend'],
	]);
	const views: RunView[] = [];
	runner.subscribe(view => views.push(view));
	const outcome = runner.start();
	const question = await operator.next();
	t.is(question.type, 'confirm');
	t.deepEqual(world.calls.filter(call => call.startsWith('before-action')), [], 'nothing acted before the first confirmation');
	t.is(runner.view().pending?.type, 'confirm', 'the question is on the view for the TUI');
	t.deepEqual(runner.view().preflight, [{level: 'ok', check: 'world', message: 'the world answers'}]);
	t.true(views.every(view => view.plan.length === 3), 'every view carries the whole plan');
	t.true(Object.isFrozen(runner.view()));
	operator.answer(true);
	await answerAll(operator, [true, true]);
	t.deepEqual(await outcome, {status: 'succeeded'});
	t.deepEqual(runner.view().plan.map(step => step.status), ['succeeded', 'succeeded', 'succeeded']);
	t.true(runner.view().done);
	t.deepEqual([...world.applied.values()], [1, 1, 1]);
	const journal = await state.store.load(runner.view().journal.runId);
	t.is(journal.status, 'succeeded');
	t.truthy(journal.lock?.releasedAt);
	t.regex(journal.events.map(event => event.event).join('\n'), /started by alice on .*\nbackup confirmed by alice/);
});

test('a dry run plans and checks, and changes nothing: no action, no lock, no journal file', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'backup'), effectStep(world, 'deploy')]);
	const state = await temporaryState(t);
	let lockTaken = false;
	state.lock.acquire = async () => {
		lockTaken = true;
	};

	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {dryRun: true, yes: true}});
	t.deepEqual(await runner.start(), {status: 'planned'});
	t.deepEqual(world.calls, ['preflight']);
	t.false(lockTaken);
	await t.throwsAsync(readdir(state.store.directory), {code: 'ENOENT'});
	t.true(runner.view().done);
	t.is(runner.view().preflight?.length, 1);
	t.is(runner.view().plan.length, 2);
});

test('cancelling a confirmation stops the run between steps, and the journal says so', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'backup'), effectStep(world, 'deploy')]);
	const state = await temporaryState(t);
	const operator = queueOperator({name: 'alice'});
	const runner = new RunbookRunner({runbook, provider, operator, journal: journalFor(runbook), ...state});
	const outcome = runner.start();
	await answerAll(operator, [true, false]);
	t.deepEqual(await outcome, {status: 'stopped'});
	t.is(world.count('backup'), 1);
	t.is(world.count('deploy'), 0);
	const journal = await state.store.load(runner.view().journal.runId);
	t.deepEqual(journal.steps.map(step => step.status), ['succeeded', 'pending']);
	t.is(journal.status, 'stopped');
	t.true(journal.events.some(event => event.event === 'deploy cancelled by alice'));
	t.is(await state.lock.holder('production'), undefined, 'the lock was given back');
});

test('a failed verification fails the step, fails the run and offers the step\'s next actions', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'backup'), effectStep(world, 'health', {verify: () => ({ok: false, message: 'health check answered 502', findings: [{level: 'block', check: 'http', message: '502 from /api/health/'}]})})]);
	const state = await temporaryState(t);
	const operator = queueOperator({name: 'alice'});
	const runner = new RunbookRunner({runbook, provider, operator, journal: journalFor(runbook), ...state});
	const outcome = runner.start();
	await answerAll(operator, [true, true]);
	const question = await operator.next();
	t.is(question.type, 'choose');
	if (question.type === 'choose') {
		t.is(question.request.title, 'Apply health failed');
		t.deepEqual(question.request.lines, ['health check answered 502', 'block http: 502 from /api/health/']);
		t.deepEqual(question.request.actions.map(action => action.id), ['retry', 'rollback-app'], 'stopping is offered by the asker, once');
		t.truthy(question.request.stopLabel, 'with what stopping here means');
	}

	t.is(runner.view().journal.status, 'failed');
	operator.answer('rollback-app');
	t.deepEqual(await outcome, {status: 'failed', nextAction: 'rollback-app'});
	const journal = await state.store.load(runner.view().journal.runId);
	t.is(journal.steps[1]!.status, 'failed');
	t.deepEqual(journal.steps[1]!.failure, {stepId: 'health', class: 'failed', message: 'health check answered 502', detail: ['block http: 502 from /api/health/']});
	t.true(journal.events.some(event => event.event === 'alice chose rollback-app (Roll the app back)'));
	t.is(await state.lock.holder('production'), undefined, 'the lock is free for the rollback');
});

test('retry after an unknown outcome reconciles first and does not apply the effect again', async t => {
	const world = new World();
	const unreachable = () => new ProviderError('unreachable', 'The platform did not answer.');
	const runbook = runbookOf(world, [effectStep(world, 'deploy', {failAfterApplying: unreachable})]);
	const state = await temporaryState(t);
	const operator = queueOperator({name: 'alice'});
	const runner = new RunbookRunner({runbook, provider, operator, journal: journalFor(runbook), ...state});
	const outcome = runner.start();
	await answerAll(operator, [true]);
	const question = await operator.next();
	t.is(question.type, 'choose');
	t.is(runner.view().journal.steps[0]!.failure?.class, 'unknown');
	operator.answer('retry');
	t.deepEqual(await outcome, {status: 'succeeded'});
	t.is(world.count('deploy'), 1);
	t.true(world.calls.includes('reconcile:deploy'));
	const notes = runner.view().journal.steps[0]!.notes ?? [];
	t.regex(notes[0] ?? '', /^reconciled: (?:in-flight \(deploy going\)|done \(deploy applied\))$/);
	t.is(notes[1], 'earlier failure: The platform did not answer.');
});

test('retry after a clean failure starts a new attempt, keeping the earlier handles in the notes', async t => {
	const world = new World();
	let attempts = 0;
	const runbook = runbookOf(world, [effectStep(world, 'migrate', {verify: () => (++attempts === 1 ? {ok: false, message: 'lock timeout'} : {ok: true, message: 'migrated'})})]);
	const state = await temporaryState(t);
	const operator = queueOperator({name: 'alice'});
	const runner = new RunbookRunner({runbook, provider, operator, journal: journalFor(runbook), ...state});
	const outcome = runner.start();
	await answerAll(operator, [true, 'retry', true]);
	t.deepEqual(await outcome, {status: 'succeeded'});
	t.is(world.count('migrate'), 2, 'a clean failure is run again');
	t.true(runner.view().journal.steps[0]!.notes?.includes('retry: new attempt (earlier attempt: operation=migrate-op)'));
});

test('a blocking preflight finding refuses the run before the lock is taken', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'migrate')], {preflight: [{level: 'block', check: 'pg_dump running', message: 'A pg_dump has been running for 3 minutes.'}]});
	const state = await temporaryState(t);
	let lockTaken = false;
	state.lock.acquire = async () => {
		lockTaken = true;
	};

	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {yes: true}});
	t.deepEqual(await runner.start(), {status: 'failed'});
	t.false(lockTaken);
	t.deepEqual(world.calls, ['preflight']);
	const journal = await state.store.load(runner.view().journal.runId);
	t.is(journal.status, 'failed');
	t.is(journal.facts.preflight?.findings[0]?.check, 'pg_dump running');
	t.true(journal.events.some(event => event.event === 'refused by preflight: pg_dump running: A pg_dump has been running for 3 minutes.'));
	t.deepEqual(journal.steps.map(step => step.status), ['pending']);
});

test('a second run on the same context is refused, naming the holder', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'deploy')]);
	const state = await temporaryState(t);
	const first = new RunbookRunner({runbook, provider, operator: queueOperator({name: 'alice'}), journal: journalFor(runbook), ...state});
	const firstOutcome = first.start();
	await new Promise<void>(resolve => {
		first.subscribe(view => view.pending && resolve());
	});
	const secondJournal = journalFor(runbook);
	secondJournal.operator = 'bob';
	const second = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'bob'}), journal: secondJournal, ...state, options: {yes: true}});
	const error = await t.throwsAsync(second.start(), {instanceOf: LockHeldError});
	const firstRunId = first.view().journal.runId;
	t.regex(error.message, new RegExp(`^A release of notechondria-backend is in progress: run ${firstRunId} by alice on ${hostname()} since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(pid ${process.pid}\\)$`));
	t.is(error.hint, `Wait for it, \`wheelhouse resume ${firstRunId}\` if it is yours, or break a stale lock with \`wheelhouse resume --break-lock\``);
	t.is(error.exitCode, 1);
	t.is(world.count('deploy'), 0);
	t.is((await state.store.load(secondJournal.runId)).status, 'failed');
	await first.stop();
	t.deepEqual(await firstOutcome, {status: 'stopped'});
});

test('stop() during a wait stops the run, leaves the operation going, and a resume finishes it once', async t => {
	const world = new World(Number.POSITIVE_INFINITY);
	const runbook = runbookOf(world, [effectStep(world, 'backup'), effectStep(world, 'deploy')]);
	const state = await temporaryState(t);
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {yes: true}});
	const outcome = runner.start();
	await new Promise<void>(resolve => {
		world.on('wait:backup', async () => resolve());
	});
	await runner.stop();
	t.deepEqual(await outcome, {status: 'stopped'});
	const journal = await state.store.load(runner.view().journal.runId);
	t.is(journal.steps[0]!.status, 'running');
	t.regex(journal.events.at(-1)!.event, /^stopped by alice while waiting for backup; the platform operation goes on/);
	t.is(await state.lock.holder('production'), undefined);
	t.deepEqual((await state.store.findUnfinished('production')).map(run => run.runId), [journal.runId]);

	world.on('wait:backup', async () => world.finish('backup'));
	world.on('wait:deploy', async () => world.finish('deploy'));
	const resumed = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'bob'}), journal, ...state, options: {yes: true}});
	t.deepEqual(await resumed.resume(), {status: 'succeeded'});
	t.is(world.count('backup'), 1);
	t.is(world.count('deploy'), 1);
	const finished = await state.store.load(journal.runId);
	t.true(finished.events.some(event => /^resumed by bob on .* \(was stopped\)$/.test(event.event)));
	t.deepEqual(finished.steps[0]!.notes, ['reconciled: in-flight (backup going)']);
});

test('--yes confirms mutating steps but not the typed confirmation of a destructive one without the name', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'backup'), effectStep(world, 'restore', {impact: 'destructive'})]);
	const state = await temporaryState(t);
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {yes: true}});
	t.deepEqual(await runner.start(), {status: 'stopped'});
	t.is(world.count('backup'), 1);
	t.is(world.count('restore'), 0);
	t.regex(runner.view().journal.events.map(event => event.event).join('\n'), /restore not confirmed: it is destructive and --yes needs the name notechondria-backend/);

	const world2 = new World();
	const runbook2 = runbookOf(world2, [effectStep(world2, 'restore', {impact: 'destructive'})]);
	const named = new RunbookRunner({runbook: runbook2, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook2), ...state, options: {yes: true, confirmText: 'notechondria-backend'}});
	t.deepEqual(await named.start(), {status: 'succeeded'});
	t.true(named.view().journal.events.some(event => event.event === 'restore confirmed with --yes by alice (typed notechondria-backend)'));
});

test('a protected context asks for its name before every mutating step, and none for reads', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'check', {impact: 'read'}), effectStep(world, 'deploy')]);
	const state = await temporaryState(t);
	const operator = queueOperator({name: 'alice'});
	const runner = new RunbookRunner({runbook, provider, operator, journal: journalFor(runbook), ...state, options: {protected: true}});
	const outcome = runner.start();
	const question = await operator.next();
	t.is(question.type === 'confirm' && question.request.stepId, 'deploy', 'the read step was not asked about');
	t.is(question.type === 'confirm' && question.request.typeToConfirm, 'production');
	t.deepEqual(question.type === 'confirm' && question.request.lines, ['Apply deploy to notechondria-backend', 'effect deploy', 'equivalent: world apply deploy']);
	operator.answer(true);
	t.deepEqual(await outcome, {status: 'succeeded'});
});

test('a blocking precondition fails the step before its action, as retryable', async t => {
	const world = new World();
	const runbook = runbookOf(world, [effectStep(world, 'migrate', {preconditions: [{level: 'block', check: 'backup', message: 'No readable backup in this run.', hint: 'Take one first.'}]})]);
	const state = await temporaryState(t);
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {yes: true}});
	t.deepEqual(await runner.start(), {status: 'failed'});
	t.is(world.count('migrate'), 0);
	const step = runner.view().journal.steps[0]!;
	t.is(step.failure?.class, 'retryable');
	t.deepEqual(step.failure?.detail, ['block backup: No readable backup in this run. (Take one first.)']);
	t.is(step.intent, undefined, 'no intent: nothing was started');
});

test('the step log keeps the newest lines of the current step only', async t => {
	const world = new World(0);
	const chatty = effectStep(world, 'migrate', {wait: false});
	chatty.action = async context => {
		world.apply('migrate');
		for (let line = 1; line <= 700; line++) {
			context.log(`Applying notes.${String(line).padStart(4, '0')}`);
		}
	};

	const runbook = runbookOf(world, [chatty]);
	const state = await temporaryState(t);
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {yes: true}});
	let longest = 0;
	runner.subscribe(view => {
		longest = Math.max(longest, view.log.length);
	});
	await runner.start();
	t.is(longest, 500);
	t.is(runner.view().log[0], 'Applying notes.0201');
	t.is(runner.view().log.at(-1), 'Applying notes.0700');
	const journalText = await readFile(state.store.pathOf(runner.view().journal.runId), 'utf8');
	t.false(journalText.includes('Applying notes'), 'the live log is not journalled');
});

test('the runbook\'s own lock is taken after the release lock and given back before it; a refusal frees both', async t => {
	const world = new World(0);
	const state = await temporaryState(t);
	const order: string[] = [];
	const runbook = {
		...runbookOf(world, [effectStep(world, 'migrate')]),
		lockHooks: {
			async acquire() {
				order.push(`advisory taken (file lock ${(await state.lock.holder('production')) ? 'held' : 'free'})`);
			},
			async release() {
				order.push(`advisory given back (file lock ${(await state.lock.holder('production')) ? 'held' : 'free'})`);
			},
		},
	};
	world.on('before-action:migrate', async () => {
		order.push('action');
	});
	const dryRun = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {dryRun: true}});
	await dryRun.start();
	t.deepEqual(order, [], 'a dry run takes no lock at all');
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {yes: true}});
	t.deepEqual(await runner.start(), {status: 'succeeded'});
	t.deepEqual(order, ['advisory taken (file lock held)', 'action', 'advisory given back (file lock held)']);

	const busy = {...runbook, lockHooks: {...runbook.lockHooks, async acquire() {
		throw new WheelhouseError('Another session holds the migration lock (pid 4242).');
	}}};
	const refused = new RunbookRunner({runbook: busy, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(busy), ...state, options: {yes: true}});
	await t.throwsAsync(refused.start(), {message: 'Another session holds the migration lock (pid 4242).'});
	t.is(await state.lock.holder('production'), undefined, 'the file lock was given back');
	t.is(refused.view().journal.status, 'failed');
});

test('a resume refused by someone else\'s lock leaves the run\'s journal as it was', async t => {
	const world = new World(Number.POSITIVE_INFINITY);
	const runbook = runbookOf(world, [effectStep(world, 'backup')]);
	const state = await temporaryState(t);
	const first = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(runbook), ...state, options: {yes: true}});
	const outcome = first.start();
	await new Promise<void>(resolve => {
		world.on('wait:backup', async () => resolve());
	});
	await first.stop();
	await outcome;
	const stopped = await state.store.load(first.view().journal.runId);
	const other = new RunbookRunner({runbook, provider, operator: queueOperator({name: 'bob'}), journal: journalFor(runbook), ...state});
	const otherOutcome = other.start();
	await new Promise<void>(resolve => {
		other.subscribe(view => view.pending && resolve());
	});
	const resumer = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'carol'}), journal: stopped, ...state, options: {yes: true}});
	await t.throwsAsync(resumer.resume(), {instanceOf: LockHeldError});
	t.deepEqual(await state.store.load(stopped.runId), stopped);
	await other.stop();
	await otherOutcome;
});

test('a run started after breaking a stale lock records whose lock it broke', async t => {
	const world = new World(0);
	const runbook = runbookOf(world, [effectStep(world, 'deploy')]);
	const state = await temporaryState(t);
	const oldHolder = {runId: '2026-11-22T10-04-12Z-aaaa', operator: 'alice', host: hostname(), pid: await deadPid(), acquiredAt: '2026-11-22T10:04:12.000Z', kind: 'release' as const, target: 'notechondria-backend'};
	await state.lock.acquire('production', oldHolder);
	const brokenFrom = await state.lock.break('production', {proof: [{level: 'ok', check: 'job runs', message: 'none going'}], typed: 'production', operator: 'bob'});
	const journal = createJournal({runbook, context: 'production', platform: 'northflank', target: {service: {id: 'svc-1', name: 'notechondria-backend'}}, operator: 'bob', runId: await state.store.newRunId(), lockBrokenFrom: brokenFrom});
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'bob'}), journal, ...state, options: {yes: true}});
	t.deepEqual(await runner.start(), {status: 'succeeded'});
	const saved = await state.store.load(journal.runId);
	t.deepEqual(saved.lock?.brokenFrom, oldHolder);
	t.truthy(saved.lock?.releasedAt);
});
