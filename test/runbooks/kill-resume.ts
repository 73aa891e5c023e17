// Shared body of the kill -9 tests: release through the CLI, kill it at a point, resume, check the end state.
import type {ExecutionContext} from 'ava';
import {releaseUntilKilled, resume, type KillPoint} from '../helpers/kill-points.js';
import {startReleaseWorld} from '../helpers/release-world.js';

export async function killAndResume(t: ExecutionContext, point: KillPoint): Promise<void> {
	const world = await startReleaseWorld();
	try {
		const env = {WHEELHOUSE_STATE_DIR: world.stateDir, WHEELHOUSE_SANDBOX_TOKEN: world.sandbox.token, WHEELHOUSE_OPERATOR: 'oncall'};
		const connection = ['--sandbox-url', world.sandbox.url];
		const runsBefore = (await world.provider.listJobRuns('notechondria-migrate', 50)).length;
		const before = await world.applied();
		const {journal} = await releaseUntilKilled(['release', ...connection, '--build', world.newBuild, '--yes'], env, world.stateDir, point);
		const resumed = await resume([...connection, '--yes'], env);
		t.is(resumed.code, 0, `${resumed.stdout}\n${resumed.stderr}`);
		t.regex(resumed.stdout, new RegExp(`Run ${journal.runId}: succeeded`));

		t.is((await world.provider.getDeployment('notechondria-backend')).buildId, world.newBuild);
		const applied = await world.applied();
		t.deepEqual(applied, [...before, 'notes.0003_note_pinned'], 'the migration applied exactly once');
		const backups = await world.provider.listBackups('notechondria-postgres', 50);
		t.is(backups.filter(backup => backup.name?.startsWith(`wheelhouse-${journal.runId.toLowerCase()}`)).length, 1, 'exactly one backup');
		const runs = await world.provider.listJobRuns('notechondria-migrate', 50);
		t.is(runs.length - runsBefore, 2, 'one plan run and one migrate run, none repeated');
		t.false(runs.some(run => run.status === 'running'));
	} finally {
		await world.close();
	}
}
