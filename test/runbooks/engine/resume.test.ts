// A run thrown away at every boundary (a hook that never returns, a journal write after which nothing
// more happens, a question nobody answers), then resumed from its journal by a new runner: every effect
// must be in place exactly once.
import test, {type ExecutionContext} from 'ava';
import {JournalStore} from '../../../source/runbooks/engine/journal-store.js';
import {yesOperator} from '../../../source/runbooks/engine/operators.js';
import {ReleaseLock} from '../../../source/runbooks/engine/release-lock.js';
import {RunbookRunner} from '../../../source/runbooks/engine/runner.js';
import type {Journal, Operator, Runbook} from '../../../source/runbooks/types.js';
import {effectStep, journalFor, provider, runbookOf, temporaryState, World} from './world.js';

const stepIds = ['backup', 'migrate', 'deploy'];

function threeSteps(world: World): Runbook {
	return runbookOf(world, stepIds.map(id => effectStep(world, id)));
}

/** Resumes the run from disk with a fresh store, lock and runner, and checks every effect happened once. */
async function resumeAndCheck(t: ExecutionContext, world: World, runbook: Runbook, stateDir: string, runId: string): Promise<Journal> {
	world.clearHooks();
	const store = new JournalStore(stateDir);
	const journal = await store.load(runId);
	const runner = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'bob'}), journal, store, lock: new ReleaseLock(stateDir, store), options: {yes: true}});
	t.deepEqual(await runner.resume(), {status: 'succeeded'});
	t.deepEqual(stepIds.map(id => world.count(id)), [1, 1, 1], 'every effect applied exactly once');
	const finished = await store.load(runId);
	t.is(finished.status, 'succeeded');
	t.deepEqual(finished.steps.map(step => step.status), ['succeeded', 'succeeded', 'succeeded']);
	t.true(finished.events.some(event => event.event.startsWith('resumed by bob on ')));
	return finished;
}

const hookPoints = stepIds.flatMap(id => [`preconditions:${id}`, `before-action:${id}`, `applied:${id}`, `after-action:${id}`, `wait:${id}`, `waited:${id}`, `verify:${id}`]);

for (const point of hookPoints) {
	test(`a run lost at ${point} resumes with every effect applied once`, async t => {
		const world = new World();
		const runbook = threeSteps(world);
		const {stateDir, store, lock} = await temporaryState(t);
		const journal = journalFor(runbook);
		const reached = world.hangAt(point);
		const lost = new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal, store, lock, options: {yes: true}});
		void lost.start();
		await reached;
		const onDisk = await store.load(journal.runId);
		t.is(onDisk.status, 'running');
		const finished = await resumeAndCheck(t, world, runbook, stateDir, journal.runId);
		const stepId = point.split(':')[1]!;
		const notes = finished.steps.find(step => step.id === stepId)!.notes ?? [];
		if (point.startsWith('preconditions') || point.startsWith('before-action')) {
			t.true(notes.length === 0 || notes[0] === 'reconciled: not-started', notes.join('; '));
		} else {
			t.regex(notes[0] ?? '', /^reconciled: (?:done|in-flight)/, 'a step whose effect took place is reconciled, not repeated');
		}
	});
}

for (const stepId of stepIds) {
	test(`a run lost while asking to confirm ${stepId} resumes and asks again`, async t => {
		const world = new World();
		const runbook = threeSteps(world);
		const {stateDir, store, lock} = await temporaryState(t);
		const journal = journalFor(runbook);
		let asked!: () => void;
		const reached = new Promise<void>(resolve => {
			asked = resolve;
		});
		const forgetful: Operator = {
			name: 'alice',
			async confirm(request) {
				if (request.stepId !== stepId) {
					return true;
				}

				asked();
				return new Promise<boolean>(() => undefined);
			},
			async choose() {
				return undefined;
			},
			async ask() {
				return undefined;
			},
		};
		void new RunbookRunner({runbook, provider, operator: forgetful, journal, store, lock}).start();
		await reached;
		t.is(world.count(stepId), 0);
		await resumeAndCheck(t, world, runbook, stateDir, journal.runId);
	});
}

/** A store after whose nth write the run never goes on (as if killed right after the rename). */
class LosingStore extends JournalStore {
	writes = 0;
	lost: Promise<void>;
	private reachedLoss!: () => void;

	constructor(stateDir: string, private readonly loseAfter: number) {
		super(stateDir);
		this.lost = new Promise(resolve => {
			this.reachedLoss = resolve;
		});
	}

	override async save(journal: Journal): Promise<void> {
		await super.save(journal);
		if (++this.writes === this.loseAfter) {
			this.reachedLoss();
			await new Promise(() => undefined);
		}
	}
}

test('a run lost after any of its journal writes resumes with every effect applied once', async t => {
	const counting = await temporaryState(t);
	const countingStore = new LosingStore(counting.stateDir, Number.POSITIVE_INFINITY);
	const countWorld = new World(5);
	const countRunbook = threeSteps(countWorld);
	await new RunbookRunner({runbook: countRunbook, provider, operator: yesOperator({name: 'alice'}), journal: journalFor(countRunbook), store: countingStore, lock: counting.lock, options: {yes: true}}).start();
	const total = countingStore.writes;
	t.true(total > 10, `a three-step run writes its journal ${total} times`);

	// The first write is the journal before the lock: nothing started, nothing to resume. The last ones come after the run ended.
	for (let loseAfter = 2; loseAfter <= total; loseAfter++) {
		const world = new World(5);
		const runbook = threeSteps(world);
		const {stateDir} = await temporaryState(t);
		const store = new LosingStore(stateDir, loseAfter);
		const journal = journalFor(runbook);
		void new RunbookRunner({runbook, provider, operator: yesOperator({name: 'alice'}), journal, store, lock: new ReleaseLock(stateDir, store), options: {yes: true}}).start();
		await store.lost;
		const onDisk = await new JournalStore(stateDir).load(journal.runId);
		if (onDisk.status === 'succeeded') {
			t.deepEqual(stepIds.map(id => world.count(id)), [1, 1, 1]);
			continue;
		}

		await resumeAndCheck(t, world, runbook, stateDir, journal.runId);
	}
});
