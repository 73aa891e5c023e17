import test from 'ava';
import type {Journal} from '../../source/runbooks/types.js';
import {releaseJournal} from '../helpers/fake-run-source.js';
import {paletteRun, patience, renderRunbookApp, runbookFitProblem} from '../helpers/runbook-app.js';
import {seedNow} from '../helpers/seed-snapshot.js';

const minute = 60_000;
const iso = (offset: number): string => new Date(seedNow + offset).toISOString();

const released: Journal = releaseJournal({
	runId: 'r-release-1',
	status: 'succeeded',
	createdAt: iso(-60 * minute),
	endedAt: iso(-52 * minute),
	operator: 'alice',
	facts: {
		previousBuild: {buildId: 'calm-meadow-3304', sha: '33c0ffee2aaaaaaaaaaaaa'},
		newBuild: {buildId: 'jolly-orbit-8845', sha: '88c0ffee7aaaaaaaaaaaaa'},
		backup: {id: 'b-7', method: 'dump', level: 'verified', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', bytes: 12_345_678},
		migrations: {tool: 'django', before: ['planner.0040_x', 'planner.0041_notes'], after: ['planner.0040_x', 'planner.0041_notes', 'planner.0042_latency'], state: 'clean'},
	},
	steps: [
		{id: 'preflight', title: 'Preflight checks', status: 'succeeded', startedAt: iso(-60 * minute), endedAt: iso(-59 * minute), outcome: 'nothing in the way'},
		{id: 'backup', title: 'Back up notechondria-postgres', status: 'succeeded', startedAt: iso(-59 * minute), endedAt: iso(-55 * minute), outcome: 'backup b-7 verified'},
		{id: 'migrate', title: 'Apply migrations', status: 'succeeded', startedAt: iso(-55 * minute), endedAt: iso(-54 * minute), outcome: '1 applied'},
		{id: 'deploy', title: 'Deploy jolly-orbit-8845', status: 'succeeded', startedAt: iso(-54 * minute), endedAt: iso(-52 * minute), outcome: 'rolled out'},
	],
	events: [{at: iso(-59 * minute), event: 'confirmed backup'}],
});

const backupFailed: Journal = releaseJournal({
	runId: 'r-backup-2',
	kind: 'backup',
	status: 'failed',
	createdAt: iso(-10 * minute),
	endedAt: iso(-9 * minute),
	operator: 'bob',
	target: {addon: {id: 'notechondria-postgres', name: 'notechondria-postgres'}},
	steps: [{id: 'backup', title: 'Back up notechondria-postgres', status: 'failed', startedAt: iso(-10 * minute), endedAt: iso(-9 * minute), failure: {stepId: 'backup', class: 'retryable', message: 'the addon is busy'}}],
});

const oldest: Journal = releaseJournal({runId: 'r-rollback-0', kind: 'rollback', status: 'stopped', createdAt: iso(-3 * 24 * 60 * minute), operator: 'carol', steps: []});

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
	test(`at ${columns}×${rows} :history lists runs newest first: time, kind, target, operator, status`, async t => {
		const app = await renderRunbookApp({columns, rows, journals: [released, oldest, backupFailed]});
		await paletteRun(app.harness, 'history');
		const frame = await app.harness.waitFor('carol', patience);
		const lines = app.harness.lines();
		const row = (text: string) => lines.findIndex(line => line.includes(text));
		t.regex(frame, /TIME +KIND +TARGET +OPERATOR +STATUS/);
		t.regex(lines[row('bob')] ?? '', /›\d{4}-\d\d-\d\d \d\d:\d\d backup +notechondria-postgres +bob +✖ failed/);
		t.regex(lines[row('alice')] ?? '', /release +notechondria-backend +alice +✔ succeeded/);
		t.regex(lines[row('carol')] ?? '', /rollback +notechondria-backend +carol +⊘ stopped/);
		t.true(row('bob') < row('alice') && row('alice') < row('carol'), 'newest first');
		t.true(lines[0]?.includes('Run history · 3 runs'));
		t.is(runbookFitProblem(app.harness, 'Run history', 'back'), undefined);
		await app.harness.unmount();
	});
}

test('enter shows a run: its steps with times and outcome, and its facts; esc goes back to the list, then the dashboard', async t => {
	const app = await renderRunbookApp({columns: 120, rows: 40, journals: [released, backupFailed]});
	await paletteRun(app.harness, 'history');
	await app.harness.waitFor('alice', patience);
	await app.harness.press('j', 'enter');
	const frame = await app.harness.waitFor('Run r-release-1', patience);
	t.true(frame.includes('Release of notechondria-backend ✔ succeeded'));
	t.true(frame.includes('by alice@bastion'));
	t.true(frame.includes('parameters: --build jolly-orbit-8845'));
	t.regex(frame, /✓ 2\. Back up notechondria-postgres +\d\d:\d\d:\d\d → \d\d:\d\d:\d\d +4m00s +backup b-7 verified/);
	t.regex(frame, /builds +calm-meadow-3304 \(33c0ffe\) → jolly-orbit-8845 \(88c0ffe\)/);
	t.regex(frame, /backup +b-7 \(dump\) · level verified · sha256 9f86d081884c… · 12 MB/);
	t.false(frame.includes('9f86d081884c7d659a2f'), 'only a prefix of the hash');
	t.regex(frame, /migrations +django, clean/);
	t.regex(frame, /before +2 applied, last planner\.0041_notes/);
	t.regex(frame, /after +3 applied, last planner\.0042_latency/);
	t.true(frame.includes('confirmed backup'));
	await app.harness.press('esc');
	await app.harness.waitFor('TIME', patience);
	await app.harness.waitFor(/›.*alice/, patience);
	await app.harness.press('esc');
	await app.harness.waitFor('Services (1)', patience);
	await app.harness.unmount();
});

test('a failed run shows which step failed and why', async t => {
	const app = await renderRunbookApp({columns: 80, rows: 24, journals: [backupFailed]});
	await paletteRun(app.harness, 'history');
	await app.harness.waitFor('bob', patience);
	await app.harness.press('enter');
	const frame = await app.harness.waitFor('Run r-backup-2', patience);
	t.true(frame.includes('Backup of notechondria-postgres ✖ failed'));
	t.regex(frame, /✗ 1\. Back up notechondria-pos.*retryable\s*┃\n┃ +the addon is busy/);
	t.is(runbookFitProblem(app.harness, 'Run history', 'back'), undefined);
	await app.harness.unmount();
});

test('no runs, or journals that cannot be read, are said so', async t => {
	const empty = await renderRunbookApp({journals: []});
	await paletteRun(empty.harness, 'history');
	await empty.harness.waitFor('No runs yet: :release, :rollback or :backup starts one.', patience);
	await empty.harness.unmount();

	const broken = await renderRunbookApp({journals: 'EACCES: permission denied, open ~/.local/state/wheelhouse/runs'});
	await paletteRun(broken.harness, 'history');
	await broken.harness.waitFor('✖ Could not read the runs: EACCES: permission denied', patience);
	t.true(broken.harness.frame().includes('r tries again.'));
	await broken.harness.unmount();
	t.pass();
});
