import test from 'ava';
import {processRedactor} from '../../../source/infra/redact.js';
import {formatRunDetail, summariseRun} from '../../../source/runbooks/engine/history.js';
import type {Journal} from '../../../source/runbooks/types.js';
import {deadPid, effectStep, journalFor, runbookOf, World} from './world.js';

function finishedRelease(): Journal {
	const world = new World();
	const journal = journalFor(runbookOf(world, [effectStep(world, 'backup'), effectStep(world, 'migrate'), effectStep(world, 'deploy')]));
	return {
		...journal,
		status: 'failed',
		createdAt: '2026-11-22T10:04:12.000Z',
		endedAt: '2026-11-22T10:09:33.000Z',
		facts: {
			previousBuild: {buildId: 'calm-willow-8097', sha: '83e2004aaaa'},
			newBuild: {buildId: 'quiet-prairie-8724', sha: '38d62f4bbbb'},
			backup: {id: 'bk-41', name: 'before-release', method: 'dump', bytes: 18_400_000, level: 'readable', sha256: 'e3b0c44298fc1c149afbf4c8'},
			migrations: {tool: 'django', plan: ['notes.0042_tags'], state: 'unknown', jobRunId: 'run-9'},
		},
		lock: {acquiredAt: '2026-11-22T10:04:13.000Z', releasedAt: '2026-11-22T10:09:33.000Z'},
		steps: [
			{id: 'backup', title: 'Back up notechondria-postgres', status: 'succeeded', startedAt: '2026-11-22T10:04:14.000Z', endedAt: '2026-11-22T10:05:01.000Z', outcome: 'backup bk-41 readable', handles: {backupId: 'bk-41'}},
			{id: 'migrate', title: 'Run the migration', status: 'failed', startedAt: '2026-11-22T10:05:02.000Z', endedAt: '2026-11-22T10:09:30.000Z', handles: {jobRunId: 'run-9'}, failure: {stepId: 'migrate', class: 'schema-unknown', message: 'statement timeout', detail: ['canceling statement due to statement timeout']}, notes: ['reconciled: in-flight (job run run-9 still running)']},
			{id: 'deploy', title: 'Deploy the new build', status: 'pending'},
		],
		events: [{at: '2026-11-22T10:04:13.000Z', event: 'started by alice on bastion'}, {at: '2026-11-22T10:09:33.000Z', event: 'alice chose to stop after migrate failed'}],
	};
}

test('a run in one line: when, what, on what, who, how it ended, builds and backup', t => {
	const line = summariseRun(finishedRelease());
	t.regex(line, /^2026-11-2\d \d\d:\d\d:\d\d {2}release {2}notechondria-backend {2}alice {2}failed {2}build 83e2004 → 38d62f4 {2}backup before-release \(readable\)$/);
});

test('the detail of a run names its facts, each step with handles and notes, and the events', t => {
	const text = formatRunDetail(finishedRelease());
	for (const expected of [
		/^Run \d{4}-.*: release of notechondria-backend$/m,
		/^Status: {5}failed, ended .* after 5m21s$/m,
		/^Context: {4}production on northflank$/m,
		/^Target: {5}service notechondria-backend \(svc-1\), addon notechondria-postgres \(pg-1\)$/m,
		/^Parameters: --build quiet-prairie-8724$/m,
		/^Builds: {5}83e2004 → 38d62f4$/m,
		/^Backup: {5}before-release \(bk-41\): dump, readable, 18 MB, sha256 e3b0c44298fc$/m,
		/^Migrations: django, state unknown, plan notes.0042_tags, job run run-9$/m,
		/^ {2}✔ backup {7}succeeded Back up notechondria-postgres {2}\d\d:\d\d:\d\d–\d\d:\d\d:\d\d$/m,
		/^ {6}backupId bk-41$/m,
		/^ {2}✖ migrate {6}failed {4}Run the migration/m,
		/^ {6}failed \(schema-unknown\): statement timeout$/m,
		/^ {8}canceling statement due to statement timeout$/m,
		/^ {6}reconciled: in-flight \(job run run-9 still running\)$/m,
		/^ {2}· deploy {7}pending {3}Deploy the new build$/m,
		/^Events:\n {2}\d\d:\d\d:\d\d {2}started by alice on bastion\n {2}\d\d:\d\d:\d\d {2}alice chose to stop after migrate failed$/m,
	]) {
		t.regex(text, expected);
	}
});

test('a run whose process is gone reads as interrupted, and history never shows a secret', async t => {
	const secret = 'history-secret-9f8e7d6c5b';
	processRedactor.add(secret);
	const journal = {...finishedRelease(), status: 'running' as const, endedAt: undefined, pid: await deadPid()};
	journal.steps[1]!.failure!.message = `auth failed for ${secret}`;
	t.regex(summariseRun(journal), / interrupted /);
	const text = formatRunDetail(journal);
	t.regex(text, /^Status: {5}interrupted$/m);
	t.false(text.includes(secret));
});
