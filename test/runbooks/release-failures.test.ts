import test from 'ava';
import {LockHeldError, queueOperator} from '../../source/runbooks/engine/index.js';
import {releaseRunbook} from '../../source/runbooks/release.js';
import {rollbackRunbook} from '../../source/runbooks/rollback.js';
import {startReleaseWorld, type ReleaseWorld} from '../helpers/release-world.js';

const steps = (journal: {steps: Array<{id: string; status: string; failure?: {message: string}; outcome?: string}>}) => JSON.stringify(journal.steps.map(step => [step.id, step.status, step.failure?.message ?? step.outcome]), null, 1);

async function withWorld(options: Parameters<typeof startReleaseWorld>[0], body: (world: ReleaseWorld) => Promise<void>): Promise<void> {
	const world = await startReleaseWorld(options);
	try {
		await body(world);
	} finally {
		await world.close();
	}
}

test.serial('a failing migration leaves the old build serving, says why, and a rollback restores the backup', async t => {
	await withWorld({newVersion: 'v3Failing'}, async world => {
		const before = await world.applied();
		const release = await world.run(releaseRunbook(world.target, {build: world.newBuild}), {parameters: {build: world.newBuild}});
		t.is(release.status, 'failed', steps(release.journal));
		const migrate = release.journal.steps.find(step => step.id === 'migrate');
		t.is(migrate?.status, 'failed');
		t.is(migrate?.failure?.class, 'failed');
		t.regex(migrate?.failure?.message ?? '', /migration failed/i);
		t.true(migrate?.failure?.detail?.some(line => /IntegrityError|duplicate key|23505/.test(line)), JSON.stringify(migrate?.failure?.detail));
		t.is(release.journal.steps.find(step => step.id === 'deploy')?.status, 'pending');
		t.is((await world.provider.getDeployment('notechondria-backend')).buildId, world.deployedBuild);
		// 0003 committed on its own; 0004 failed and rolled back: a known, partly migrated state.
		t.deepEqual(await world.applied(), [...before, 'notes.0003_note_pinned']);
		t.is(release.journal.facts.migrations?.state, 'dirty');

		// Someone wrote after the backup; the restore brings the database back to the backup's state.
		await world.query("INSERT INTO notes_note (title, body, created_at, pinned) VALUES ('written after the backup', '', now(), false)");
		const backup = release.journal.facts.backup!;
		const rollback = await world.run(rollbackRunbook(world.target, {from: {buildId: world.deployedBuild}, restore: {id: backup.id}}), {operator: undefined});
		t.is(rollback.status, 'stopped', 'a destructive restore needs its typed confirmation even with --yes');
		const confirmed = await world.run(rollbackRunbook(world.target, {from: {buildId: world.deployedBuild}, restore: {id: backup.id}}), {confirmText: 'notechondria-backend'});
		t.is(confirmed.status, 'succeeded', steps(confirmed.journal));
		const rows = await world.query<{count: string}>("SELECT count(*) FROM notes_note WHERE title = 'written after the backup'");
		t.is(rows[0]?.count, '0');
		t.deepEqual(await world.applied(), before);
	});
});

test.serial('a migration blocked by a held lock times out, is classified retryable, and nothing is deployed', async t => {
	await withWorld({newVersion: 'v4Lock'}, async world => {
		const holder = await world.hold('BEGIN; LOCK TABLE notes_note IN ACCESS SHARE MODE;');
		try {
			const release = await world.run(releaseRunbook(world.target, {build: world.newBuild}), {parameters: {build: world.newBuild}});
			t.is(release.status, 'failed', steps(release.journal));
			const migrate = release.journal.steps.find(step => step.id === 'migrate');
			t.is(migrate?.failure?.class, 'retryable', JSON.stringify(migrate?.failure));
			t.regex(migrate?.failure?.message ?? '', /lock/);
			t.is((await world.provider.getDeployment('notechondria-backend')).buildId, world.deployedBuild);
			t.false((await world.applied()).some(name => name.startsWith('notes.0003') || name.startsWith('notes.0004')));
		} finally {
			await holder.end();
		}
	});
});

test.serial('a backup that does not restore is caught before the migration', async t => {
	await withWorld({}, async world => {
		const before = await world.applied();
		world.sandbox.failNext('backup-corrupt');
		const release = await world.run(releaseRunbook(world.target, {build: world.newBuild}), {parameters: {build: world.newBuild}});
		t.is(release.status, 'failed', steps(release.journal));
		t.is(release.journal.steps.find(step => step.id === 'verify-backup')?.status, 'failed');
		t.is(release.journal.facts.backup?.level, 'captured');
		t.is(release.journal.steps.find(step => step.id === 'migrate')?.status, 'pending');
		t.deepEqual(await world.applied(), before);
		t.is((await world.provider.getDeployment('notechondria-backend')).buildId, world.deployedBuild);
	});
});

test.serial('a second release of the same context is refused and names the holder', async t => {
	await withWorld({}, async world => {
		const waiting = queueOperator({name: 'alice'});
		const first = world.start(releaseRunbook(world.target, {build: world.newBuild}), {operator: waiting});
		await first.waitFor(view => view.pending?.type === 'confirm');
		const second = world.run(releaseRunbook(world.target, {build: world.newBuild}), {operator: undefined});
		const error = await t.throwsAsync(second, {instanceOf: LockHeldError});
		t.regex(error?.message ?? '', new RegExp(`run ${first.runId} by alice`));
		waiting.answer(false);
		t.is((await first.done).status, 'stopped');
	});
});

test.serial('a dry run changes nothing on the platform or in the database and writes no journal', async t => {
	await withWorld({}, async world => {
		const platformBefore = await world.platformState();
		const databaseBefore = await world.databaseState();
		const dry = await world.run(releaseRunbook(world.target, {build: world.newBuild}), {dryRun: true});
		t.is(dry.status, 'planned');
		t.true((dry.journal.facts.preflight?.findings.length ?? 0) > 0 || dry.runner.view().preflight !== undefined);
		t.deepEqual(await world.platformState(), platformBefore);
		t.deepEqual(await world.databaseState(), databaseBefore);
		t.deepEqual(await world.journalFiles(), []);
	});
});
