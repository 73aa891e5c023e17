// Job runs in real app mode: each build is a directory of real Django code (test/fixtures/django-app),
// and a run is `/bin/sh -c <command>` there, with the addon database in its environment.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {djangoApp} from '../helpers/django-app.js';
import {jobPath} from './helpers.js';
import {eventually, freshDatabase, jobSandbox, openSession, runLog, runText, seededBuilds, startRun, stopSharedPostgres, waitForRun, type TestDatabase} from './job-helpers.js';

test.after.always(stopSharedPostgres);

// The deployed build (the job's build too) and the one before it.
const [deployed, previous] = seededBuilds().filter(build => build.result === 'SUCCESS').map(build => build.id);

/** Processes of a process group that still run (zombies, dead but not yet reaped, do not count). */
function liveProcessesOfGroup(group: number): number[] {
	return readdirSync('/proc').filter(name => /^\d+$/.test(name)).filter(pid => {
		try {
			// "pid (comm) state ppid pgrp ...": the fields after the command's closing parenthesis.
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return Number(pgrp) === group && state !== 'Z';
		} catch {
			return false;
		}
	}).map(Number);
}

async function appliedNotes(database: TestDatabase): Promise<string[]> {
	const rows = await database.query<{name: string}>('SELECT name FROM django_migrations WHERE app = \'notes\' ORDER BY id');
	return rows.map(row => row.name);
}

async function noteColumns(database: TestDatabase): Promise<string[]> {
	const rows = await database.query<{column_name: string}>('SELECT column_name FROM information_schema.columns WHERE table_name = \'notes_note\' ORDER BY column_name');
	return rows.map(row => row.column_name);
}

test('v1 then v2: `python manage.py migrate --noinput` really migrates, with Django\'s own output', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {app: {directories: {[previous!]: djangoApp.v1, [deployed!]: djangoApp.v2}}});
	const first = await startRun(api, 'python manage.py migrate --noinput', {buildId: previous});
	t.is((await waitForRun(api, first)).status, 'SUCCESS');
	t.deepEqual(await runText(api, first), [
		'Operations to perform:',
		'  Apply all migrations: notes',
		'Running migrations:',
		'  Applying notes.0001_initial... OK',
		'  Applying notes.0002_default_tags... OK',
	]);
	t.deepEqual(await appliedNotes(database), ['0001_initial', '0002_default_tags']);
	t.false((await noteColumns(database)).includes('pinned'));

	// No build id: the job's own build, the deployed one, which has v2.
	const second = await startRun(api, 'python manage.py migrate --noinput');
	t.is((await waitForRun(api, second)).status, 'SUCCESS');
	t.deepEqual(await runText(api, second), ['Operations to perform:', '  Apply all migrations: notes', 'Running migrations:', '  Applying notes.0003_note_pinned... OK']);
	t.deepEqual(await appliedNotes(database), ['0001_initial', '0002_default_tags', '0003_note_pinned']);
	t.true((await noteColumns(database)).includes('pinned'));
	t.deepEqual(await database.query('SELECT to_regclass(\'accounts_user\') AS builtin'), [{builtin: null}], 'a sandbox running real app code is not seeded with the built-in schema');

	const plan = await startRun(api, 'python3 manage.py showmigrations --plan');
	await waitForRun(api, plan);
	t.deepEqual(await runText(api, plan), ['[X]  notes.0001_initial', '[X]  notes.0002_default_tags', '[X]  notes.0003_note_pinned']);
});

test('v3-failing: 0004 fails at the database, the run is FAILED, and 0004 is not applied (not even its first step)', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {app: {directories: {[previous!]: djangoApp.v2, [deployed!]: djangoApp.v3Failing}}});
	t.is((await waitForRun(api, await startRun(api, 'python manage.py migrate --noinput', {buildId: previous}))).status, 'SUCCESS');
	const id = await startRun(api, 'python manage.py migrate --noinput');
	t.like(await waitForRun(api, id), {status: 'FAILED', failed: 1});
	const lines = await runLog(api, id);
	const text = (await runText(api, id)).join('\n');
	t.regex(text, /Applying notes\.0004_archive_and_more_tags\.\.\./);
	t.regex(text, /django\.db\.utils\.IntegrityError: duplicate key value violates unique constraint "notes_tag_name_key"/);
	t.true(lines.some(entry => / stderr F Traceback/.test(entry.log)));
	t.deepEqual(await appliedNotes(database), ['0001_initial', '0002_default_tags', '0003_note_pinned']);
	t.false((await noteColumns(database)).includes('archived_at'), 'the AddField before the failing step was rolled back with it');
});

test('v4-lock: with a lock held and PGOPTIONS lock_timeout=1s, the ADD COLUMN gives up and the run fails', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {app: {directories: {[previous!]: djangoApp.v2, [deployed!]: djangoApp.v4Lock}}});
	t.is((await waitForRun(api, await startRun(api, 'python manage.py migrate --noinput', {buildId: previous}))).status, 'SUCCESS');
	const holder = await openSession(t, database);
	await holder.query('BEGIN');
	await holder.query('SELECT count(*) FROM notes_note');
	const id = await startRun(api, 'python manage.py migrate --noinput', {environment: {PGOPTIONS: '-c lock_timeout=1s'}});
	t.is((await waitForRun(api, id)).status, 'FAILED');
	const text = (await runText(api, id)).join('\n');
	t.regex(text, /psycopg2\.errors\.LockNotAvailable: canceling statement due to lock timeout/);
	t.regex(text, /django\.db\.utils\.OperationalError: canceling statement due to lock timeout/);
	await holder.query('ROLLBACK');
	t.false((await appliedNotes(database)).includes('0004_note_archived_at'));
	t.false((await noteColumns(database)).includes('archived_at'));
});

test('the command gets a clean environment: the database, the run\'s runtimeEnvironment, nothing of the sandbox\'s own', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {app: {defaultDirectory: djangoApp.v1}});
	const id = await startRun(api, 'pwd; env | cut -d= -f1 | sort; echo "options: $PGOPTIONS"; python --version', {environment: {PGOPTIONS: '-c lock_timeout=2s', RELEASE: 'r1'}});
	t.is((await waitForRun(api, id)).status, 'SUCCESS');
	const lines = await runText(api, id);
	t.is(lines[0], djangoApp.v1.replace(/\/$/, ''));
	for (const name of ['PATH', 'HOME', 'LANG', 'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'POSTGRE_HOST', 'POSTGRE_PORT', 'POSTGRE_DB', 'POSTGRE_USERNAME', 'POSTGRE_PASSWORD', 'RELEASE', 'PGOPTIONS']) {
		t.true(lines.includes(name), name);
	}

	t.false(lines.some(name => /^(npm_|NODE_|AVA|PWD_OF_TEST)/.test(name)), 'nothing inherited from the sandbox\'s process');
	t.true(lines.includes('options: -c lock_timeout=2s'));
	t.regex(lines.at(-1)!, /^Python 3\.\d+/, '`python` works where Debian has only python3');
});

test('abort kills the whole process group: SIGTERM, then SIGKILL for what ignores it', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {app: {defaultDirectory: djangoApp.v1}, jobs: {killGraceMs: 1000}});
	const id = await startRun(api, 'trap "" TERM; echo "group $$"; sleep 60 & while true; do sleep 0.2; done');
	let group = 0;
	await eventually(async () => {
		const line = (await runText(api, id)).find(text => text.startsWith('group '));
		group = line ? Number(line.slice('group '.length)) : 0;
		return group > 0;
	});
	t.true(liveProcessesOfGroup(group).length >= 2, 'the shell and its sleeps run');
	const aborted = Date.now();
	t.is((await api.delete(`${jobPath}/runs/${id}`)).status, 200);
	t.like(await waitForRun(api, id, 10_000), {status: 'FAILED', concluded: true});
	t.true(Date.now() - aborted >= 900, 'the shell ignored SIGTERM until SIGKILL came');
	await eventually(async () => liveProcessesOfGroup(group).length === 0, 5000);
	t.pass('nothing of the group is left, the background sleep neither');
	t.regex((await runText(api, id)).join('\n'), /sandbox: job run aborted \(SIGTERM to its process group\)/);
});

test('fail-next job-run in app mode: the command does not run and the run exits 1, saying why', async t => {
	const database = await freshDatabase(t);
	const scratch = await mkdtemp(path.join(tmpdir(), 'wheelhouse-job-app-'));
	t.teardown(async () => rm(scratch, {recursive: true, force: true}));
	const api = await jobSandbox(t, database, {app: {defaultDirectory: scratch}});
	await api.post('/_sandbox/fail-next', {kind: 'job-run'});
	const id = await startRun(api, 'touch ran');
	t.is((await waitForRun(api, id)).status, 'FAILED');
	t.false(existsSync(path.join(scratch, 'ran')));
	t.regex((await runText(api, id)).join('\n'), /forced failure \(fail-next job-run\)/);
	const next = await startRun(api, 'touch ran && echo done');
	t.is((await waitForRun(api, next)).status, 'SUCCESS');
	t.true(existsSync(path.join(scratch, 'ran')));
});
