import test from 'ava';
import {releaseRunbook} from '../../source/runbooks/release.js';
import {startReleaseWorld} from '../helpers/release-world.js';

test('a clean release backs up, migrates from the new build, deploys it and passes the health gate', async t => {
	const world = await startReleaseWorld();
	try {
		const {status, journal} = await world.run(releaseRunbook(world.target, {build: world.newBuild}), {parameters: {build: world.newBuild}});
		t.is(status, "succeeded", JSON.stringify({steps: journal.steps.map(step => [step.id, step.status, step.failure?.message ?? step.outcome]), preflight: journal.facts.preflight?.findings.filter(finding => finding.level !== "ok")}, null, 1));
		t.is(journal.facts.previousBuild?.buildId, world.deployedBuild);
		t.is(journal.facts.newBuild?.buildId, world.newBuild);
		t.deepEqual(journal.facts.migrations?.plan, ['notes.0003_note_pinned']);
		t.is(journal.facts.migrations?.state, 'clean');
		t.is(journal.facts.backup?.level, 'verified');
		t.regex(journal.facts.backup?.sha256 ?? '', /^[\da-f]{64}$/);
		t.true((await world.applied()).includes('notes.0003_note_pinned'));
		t.is((await world.provider.getDeployment('notechondria-backend')).buildId, world.newBuild);
		t.is(journal.facts.health?.result, 'pass');
	} finally {
		await world.close();
	}
});
