// Job runs in built-in mode: the sandbox's Django-style migrator runs the job's command against a real
// PostgreSQL, and the run's status, log and the database all show what really happened.
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {builtinMigrationLockKey} from '../../source/sandbox/database/builtin-migrator.js';
import {jobPath, servicePath, type Client} from './helpers.js';
import {eventually, freshDatabase, jobSandbox, openSession, runLog, runStatus, runText, startRun, stopSharedPostgres, waitForRun, type TestDatabase} from './job-helpers.js';
import {openTail, textOf} from './log-helpers.js';

test.after.always(stopSharedPostgres);

// The deployed build has the first 19 built-in migrations, so a new build (level 20) brings this one.
const pending = 'planner.0006_event_reminder_minutes';

/** A new build (one built-in migration ahead), built quickly. */
async function newBuild(api: Client): Promise<string> {
	const started = await api.post(`${servicePath}/build`, {});
	const {id} = started.body.data as {id: string};
	await eventually(async () => (await api.get(`${servicePath}/build/${id}`)).body.data.status === 'SUCCESS');
	return id;
}

async function applied(database: TestDatabase): Promise<string[]> {
	const rows = await database.query<{label: string}>('SELECT app || \'.\' || name AS label FROM django_migrations ORDER BY id');
	return rows.map(row => row.label);
}

async function columnExists(database: TestDatabase, table: string, column: string): Promise<boolean> {
	const rows = await database.query('SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2', [table, column]);
	return rows.length === 1;
}

/** Waits until the run's migrator session waits for a lock (pg_stat_activity). */
async function waitingForLock(database: TestDatabase): Promise<void> {
	await eventually(async () => (await database.query('SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE \'manage.py%\' AND wait_event_type = \'Lock\'')).length > 0);
}

test('migrate on a new build applies its one pending migration: RUNNING until it ends, then SUCCESS, with Django\'s output', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20});
	const build = await newBuild(api);
	// A reader in a long transaction keeps the ALTER TABLE waiting, so the run is seen RUNNING.
	const reader = await openSession(t, database);
	const first = await startRun(api, 'python manage.py showmigrations --plan');
	await waitForRun(api, first);
	await reader.query('BEGIN');
	await reader.query('SELECT count(*) FROM planner_event');
	const id = await startRun(api, 'python manage.py migrate --noinput', {buildId: build});
	await waitingForLock(database);
	t.like(await runStatus(api, id), {status: 'RUNNING', concluded: false, active: 1});
	const released = Date.now();
	await reader.query('COMMIT');
	const run = await waitForRun(api, id);
	t.like(run, {status: 'SUCCESS', concluded: true, succeeded: 1, failed: 0});
	t.true(Date.parse(run.concludedAt as string) >= released - 5, 'concludedAt is when the command really ended');
	t.deepEqual(await runText(api, id), [
		'Operations to perform:',
		'  Apply all migrations: accounts, notes, planner',
		'Running migrations:',
		`  Applying ${pending}... OK`,
	]);
	const labels = await applied(database);
	t.is(labels.length, 20);
	t.is(labels.at(-1), pending);
	t.true(await columnExists(database, 'planner_event', 'reminder_minutes'));
	const [events] = await database.query<{rows: string; fifteen: string}>('SELECT count(*) AS rows, count(*) FILTER (WHERE reminder_minutes = 15) AS fifteen FROM planner_event');
	t.true(Number(events!.rows) > 1000, 'the seeded rows are there');
	t.is(events!.fifteen, events!.rows, 'existing rows got the default');
});

test('showmigrations --plan and --list mark applied [X] and pending [ ]; migrate --plan shows the operations', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20});
	const build = await newBuild(api);
	const plan = await startRun(api, 'python3 manage.py showmigrations --plan', {buildId: build});
	t.is((await waitForRun(api, plan)).status, 'SUCCESS');
	const lines = await runText(api, plan);
	t.is(lines.length, 20);
	t.is(lines[0], '[X]  accounts.0001_initial');
	t.true(lines.slice(0, 19).every(line => line.startsWith('[X]  ')));
	t.is(lines[19], `[ ]  ${pending}`);

	const list = await startRun(api, 'python manage.py showmigrations --list planner', {buildId: build});
	await waitForRun(api, list);
	const planner = await runText(api, list);
	t.is(planner[0], 'planner');
	t.is(planner[1], ' [X] 0001_initial');
	t.is(planner.at(-1), ' [ ] 0006_event_reminder_minutes');

	const dryRun = await startRun(api, 'python manage.py migrate --plan', {buildId: build});
	await waitForRun(api, dryRun);
	t.deepEqual(await runText(api, dryRun), ['Planned operations:', pending, '    Add field reminder_minutes to event']);
	t.is((await applied(database)).length, 19, '--plan changes nothing');
});

test('reverse: migrate notes 0006 unapplies later notes migrations; an irreversible one stops the way back', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database);
	const back = await startRun(api, 'python manage.py migrate notes 0006');
	t.is((await waitForRun(api, back)).status, 'SUCCESS');
	t.deepEqual(await runText(api, back), [
		'Operations to perform:',
		'  Target specific migration: 0006_note_colour, from notes',
		'Running migrations:',
		'  Rendering model states... DONE',
		'  Unapplying notes.0008_attachment... OK',
		'  Unapplying notes.0007_note_word_count... OK',
	]);
	const labels = await applied(database);
	t.false(labels.includes('notes.0008_attachment'));
	t.false(labels.includes('notes.0007_note_word_count'));
	t.true(labels.includes('notes.0006_note_colour'));
	t.false(await columnExists(database, 'notes_note', 'word_count'));
	t.deepEqual(await database.query('SELECT to_regclass(\'notes_attachment\') AS attachment'), [{attachment: null}]);

	const further = await startRun(api, 'python manage.py migrate notes 0004');
	t.is((await waitForRun(api, further)).status, 'FAILED');
	const text = (await runText(api, further)).join('\n');
	t.regex(text, /Unapplying notes\.0006_note_colour\.\.\. OK/);
	t.regex(text, /Unapplying notes\.0005_strip_note_titles\.\.\.\n/);
	t.regex(text, /django\.db\.migrations\.exceptions\.IrreversibleError: Operation <RunPython <function strip_note_titles at 0x[\da-f]+>> in notes\.0005_strip_note_titles is not reversible/);
	const after = await applied(database);
	t.false(after.includes('notes.0006_note_colour'), 'what was unapplied before the failure stays unapplied');
	t.true(after.includes('notes.0005_strip_note_titles'));

	const forward = await startRun(api, 'python manage.py migrate notes');
	t.is((await waitForRun(api, forward)).status, 'SUCCESS');
	t.is((await applied(database)).length, 19);
	t.true(await columnExists(database, 'notes_note', 'word_count'));

	const unknown = await startRun(api, 'python manage.py migrate notes 0099');
	t.is((await waitForRun(api, unknown)).status, 'FAILED');
	t.deepEqual(await runText(api, unknown), ['CommandError: Cannot find a migration matching \'0099\' from app \'notes\'.']);
});

test('fail-next job-run: the migration fails inside its transaction, so nothing of it stays', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20});
	const build = await newBuild(api);
	api.sandbox.failNext('job-run');
	const id = await startRun(api, 'python manage.py migrate --noinput', {buildId: build});
	t.like(await waitForRun(api, id), {status: 'FAILED', failed: 1, succeeded: 0});
	const lines = await runLog(api, id);
	const text = lines.map(entry => textOf(entry)).join('\n');
	t.regex(text, new RegExp(`Applying ${pending.replaceAll('.', '\\.')}\\.\\.\\.$`, 'm'));
	t.regex(text, /psycopg2\.errors\.RaiseException: sandbox: forced migration failure/);
	t.regex(text, /django\.db\.utils\.InternalError: sandbox: forced migration failure/);
	t.regex(text, /SQLSTATE P0001/);
	t.true(lines.some(entry => entry.log.includes(' stderr F Traceback (most recent call last):')), 'the traceback is on stderr');
	t.is((await applied(database)).length, 19, 'django_migrations unchanged');
	t.false(await columnExists(database, 'planner_event', 'reminder_minutes'), 'the DDL was rolled back');

	const retry = await startRun(api, 'python manage.py migrate --noinput', {buildId: build});
	t.is((await waitForRun(api, retry)).status, 'SUCCESS', 'only the next run fails');
});

test('a lock held by another session and PGOPTIONS lock_timeout=1s: FAILED with the lock timeout and 55P03', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20});
	const build = await newBuild(api);
	const warmUp = await startRun(api, 'python manage.py showmigrations');
	await waitForRun(api, warmUp);
	const holder = await openSession(t, database);
	await holder.query('BEGIN');
	await holder.query('SELECT count(*) FROM planner_event');
	const started = Date.now();
	const id = await startRun(api, 'python manage.py migrate --noinput', {buildId: build, environment: {PGOPTIONS: '-c lock_timeout=1s'}});
	t.is((await waitForRun(api, id)).status, 'FAILED');
	t.true(Date.now() - started >= 1000, 'it waited for the lock as long as lock_timeout says');
	const text = (await runText(api, id)).join('\n');
	t.regex(text, /psycopg2\.errors\.LockNotAvailable: canceling statement due to lock timeout/);
	t.regex(text, /django\.db\.utils\.OperationalError: canceling statement due to lock timeout/);
	t.regex(text, /SQLSTATE 55P03 \(lock_not_available\)/);
	await holder.query('ROLLBACK');
	t.is((await applied(database)).length, 19);
});

test('abort: a migration stuck behind a lock is cancelled, the run ends FAILED and nothing is left waiting', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20});
	const build = await newBuild(api);
	const holder = await openSession(t, database);
	const warmUp = await startRun(api, 'python manage.py showmigrations');
	await waitForRun(api, warmUp);
	await holder.query('BEGIN');
	await holder.query('SELECT count(*) FROM planner_event');
	const id = await startRun(api, 'python manage.py migrate --noinput', {buildId: build});
	await waitingForLock(database);
	t.is((await api.delete(`${jobPath}/runs/${id}`)).status, 200);
	t.like(await waitForRun(api, id, 10_000), {status: 'FAILED', concluded: true});
	t.regex((await runText(api, id)).join('\n'), /sandbox: job run aborted/);
	await eventually(async () => (await database.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE \'manage.py%\'')).length === 0, 5000);
	t.pass('the migrator\'s session is gone');
	t.is((await api.delete(`${jobPath}/runs/${id}`)).status, 409);
	await holder.query('ROLLBACK');
	t.is((await applied(database)).length, 19);
});

test('the advisory lock: a migrator gives up at the deadline, naming the holder', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20, jobs: {lockWaitMs: 1500}});
	const build = await newBuild(api);
	const warmUp = await startRun(api, 'python manage.py showmigrations');
	await waitForRun(api, warmUp);
	const other = await openSession(t, database);
	await other.query('SELECT pg_advisory_lock($1)', [builtinMigrationLockKey]);
	const refused = await startRun(api, 'python manage.py migrate --noinput', {buildId: build});
	t.is((await waitForRun(api, refused)).status, 'FAILED');
	t.regex((await runText(api, refused)).join('\n'), new RegExp(`another migration is running: advisory lock ${builtinMigrationLockKey} is held by pid \\d+ \\(test lock holder\\); gave up after 1\\.5 s`));
	t.is((await applied(database)).length, 19);
});

test('the advisory lock: a second migrator waits while another holds it, then migrates', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20});
	const build = await newBuild(api);
	const warmUp = await startRun(api, 'python manage.py showmigrations');
	await waitForRun(api, warmUp);
	const other = await openSession(t, database);
	await other.query('SELECT pg_advisory_lock($1)', [builtinMigrationLockKey]);
	const waits = await startRun(api, 'python manage.py migrate --noinput', {buildId: build});
	await eventually(async () => (await runText(api, waits)).includes('Operations to perform:'));
	await new Promise(resolve => setTimeout(resolve, 600));
	t.is((await runStatus(api, waits)).status, 'RUNNING');
	t.false((await runText(api, waits)).includes('Running migrations:'), 'nothing runs before it has the lock');
	await other.query('SELECT pg_advisory_unlock($1)', [builtinMigrationLockKey]);
	t.is((await waitForRun(api, waits)).status, 'SUCCESS');
	t.is((await applied(database)).length, 20);
});

test('a command the sandbox does not know exits 127: "command not found"', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database);
	const id = await startRun(api, 'celery -A notechondria worker');
	t.is((await waitForRun(api, id)).status, 'FAILED');
	t.deepEqual(await runText(api, id), ['sandbox: celery -A notechondria worker: command not found']);
	const usage = await startRun(api, 'python manage.py migrate --fake');
	await waitForRun(api, usage);
	t.regex((await runText(api, usage)).join('\n'), /manage\.py migrate: error: unrecognized arguments: --fake/);
});

test('the live tail of a run streams its real lines as they happen', async t => {
	const database = await freshDatabase(t);
	const api = await jobSandbox(t, database, {timeScale: 20});
	const build = await newBuild(api);
	const holder = await openSession(t, database);
	const warmUp = await startRun(api, 'python manage.py showmigrations');
	await waitForRun(api, warmUp);
	await holder.query('BEGIN');
	await holder.query('SELECT count(*) FROM planner_event');
	const id = await startRun(api, 'python manage.py migrate --noinput', {buildId: build});
	await waitingForLock(database);
	const tail = await openTail(api.sandbox.url, `${jobPath}/logs?queryType=tail&runId=${id}&startTime=2020-01-01T00:00:00Z`, {token: api.sandbox.token});
	t.teardown(async () => tail.close());
	await tail.waitFor(() => tail.lines.some(entry => textOf(entry).startsWith('Running migrations:')));
	t.false(tail.lines.some(entry => textOf(entry).includes('Applying')), 'nothing applied while the lock is held');
	await holder.query('COMMIT');
	await tail.waitFor(() => tail.lines.some(entry => textOf(entry).startsWith(`  Applying ${pending}... OK`)));
	t.deepEqual(tail.lines.map(entry => entry.log), (await runLog(api, id)).map(entry => entry.log), 'the tail and the range query agree');
});

test('a sandbox restarted while a run is going marks it FAILED "interrupted: sandbox restarted" and keeps its log', async t => {
	const database = await freshDatabase(t);
	const stateDir = await mkdtemp(path.join(tmpdir(), 'wheelhouse-jobs-state-'));
	t.teardown(async () => rm(stateDir, {recursive: true, force: true}));
	const first = await jobSandbox(t, database, {stateDir, timeScale: 20});
	const build = await newBuild(first);
	const holder = await openSession(t, database);
	const warmUp = await startRun(first, 'python manage.py showmigrations');
	await waitForRun(first, warmUp);
	await holder.query('BEGIN');
	await holder.query('SELECT count(*) FROM planner_event');
	const id = await startRun(first, 'python manage.py migrate --noinput', {buildId: build});
	await waitingForLock(database);
	await first.sandbox.close();
	t.true(existsSync(path.join(stateDir, 'job-logs', `${id}.log`)));

	const second = await jobSandbox(t, database, {stateDir});
	const run = await runStatus(second, id);
	t.like(run, {status: 'FAILED', concluded: true});
	const lines = await runText(second, id);
	t.deepEqual(lines.slice(0, 3), ['Operations to perform:', '  Apply all migrations: accounts, notes, planner', 'Running migrations:']);
	t.is(lines.at(-1), 'sandbox: interrupted: sandbox restarted');
	await holder.query('ROLLBACK');
	t.is((await applied(database)).length, 19);
	const warmAgain = await startRun(second, 'python manage.py showmigrations --plan');
	t.is((await waitForRun(second, warmAgain)).status, 'SUCCESS', 'the restarted sandbox runs jobs (and did not seed again)');
	t.is((await runText(second, warmAgain)).length, 19);
});
