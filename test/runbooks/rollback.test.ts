import test from 'ava';
import {releaseRunbook} from '../../source/runbooks/release.js';
import {rollbackRunbook} from '../../source/runbooks/rollback.js';
import {startReleaseWorld} from '../helpers/release-world.js';

const steps = (journal: {steps: Array<{id: string; status: string; failure?: {message: string}; outcome?: string}>}) => JSON.stringify(journal.steps.map(step => [step.id, step.status, step.failure?.message ?? step.outcome]), null, 1);

test('rolling back after a release reverses the migration with the new code, then redeploys the previous build', async t => {
	const world = await startReleaseWorld();
	try {
		const before = await world.applied();
		const release = await world.run(releaseRunbook(world.target, {build: world.newBuild}), {parameters: {build: world.newBuild}});
		t.is(release.status, 'succeeded', steps(release.journal));
		t.true((await world.applied()).includes('notes.0003_note_pinned'));

		const plan = {from: {buildId: world.newBuild}, to: {buildId: world.deployedBuild}, reverseTo: 'notes.0002_default_tags'};
		const rollback = await world.run(rollbackRunbook(world.target, plan), {confirmText: 'notechondria-backend'});
		t.is(rollback.status, 'succeeded', steps(rollback.journal));
		t.deepEqual(rollback.journal.steps.map(step => step.id), ['record', 'reverse-migrate', 'redeploy', 'health']);
		t.deepEqual(await world.applied(), before, 'notes.0003 was unapplied');
		const columns = await world.query<{column_name: string}>("SELECT column_name FROM information_schema.columns WHERE table_name = 'notes_note' AND column_name = 'pinned'");
		t.is(columns.length, 0, 'its column is gone');
		t.is((await world.provider.getDeployment('notechondria-backend')).buildId, world.deployedBuild);
		t.is(rollback.journal.facts.rollback?.reverseTo, 'notes.0002_default_tags');
	} finally {
		await world.close();
	}
});

test('an app-only rollback says it leaves the database alone, and does', async t => {
	const world = await startReleaseWorld();
	try {
		const release = await world.run(releaseRunbook(world.target, {build: world.newBuild}), {parameters: {build: world.newBuild}});
		t.is(release.status, 'succeeded', steps(release.journal));
		const applied = await world.applied();
		const rollback = await world.run(rollbackRunbook(world.target, {from: {buildId: world.newBuild}, to: {buildId: world.deployedBuild}}));
		t.is(rollback.status, 'succeeded', steps(rollback.journal));
		const preview = rollback.runner.view().plan.find(step => step.id === 'redeploy')?.preview;
		t.true(preview?.details.some(line => /does not touch the database/.test(line)));
		t.true(rollback.journal.facts.preflight?.findings.some(finding => finding.check === 'data' && /untouched/i.test(finding.message)));
		t.deepEqual(await world.applied(), applied);
		t.is((await world.provider.getDeployment('notechondria-backend')).buildId, world.deployedBuild);
	} finally {
		await world.close();
	}
});
