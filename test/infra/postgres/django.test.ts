import test from 'ava';
import type pg from 'pg';
import {
	classifyPgError, diffMigrationStates, parseMigratePlan, parseShowmigrationsPlan, pendingMigrations, readMigrationState,
} from '../../../source/infra/postgres/index.js';
import {makeTempDir, removeTempDir} from '../../helpers/sshd.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {makeDjangoProject, runPython, type CommandOutput} from './python-projects.js';
import {connectionTo, eventually, openSession} from './world.js';

// One project and one database walked through a release in order: the tests are serial on purpose.
let server: PostgresServer;
let dir: string;
let observer: pg.Client;

test.before(async () => {
	[server, dir] = await Promise.all([startPostgres(), makeTempDir('django')]);
	await makeDjangoProject(dir);
	observer = await openSession(server, 'test observer');
});

test.after.always(async () => {
	await observer?.end();
	await server?.stop();
	await removeTempDir(dir);
});

const manage = async (args: string[], env: Record<string, string> = {}): Promise<CommandOutput> => runPython(dir, ['manage.py', ...args], connectionTo(server), env);
const applied = async (): Promise<string[]> => (await readMigrationState(observer)).applied;

const allMigrations = ['contenttypes.0001_initial', 'contenttypes.0002_remove_content_type_name', 'notes.0001_initial', 'notes.0002_note_body', 'notes.0003_seed', 'notes.0004_title_index'];

test.serial('a database Django never touched has no migration state, and the whole plan is pending', async t => {
	t.deepEqual(await readMigrationState(observer), {tool: 'none', applied: []});
	const shown = await manage(['showmigrations', '--plan']);
	t.is(shown.code, 0, shown.output);
	const plan = parseShowmigrationsPlan(shown.stdout);
	t.deepEqual(plan.map(entry => entry.name).toSorted(), allMigrations);
	t.true(plan.every(entry => !entry.applied));
	t.true(plan.findIndex(entry => entry.name === 'notes.0001_initial') < plan.findIndex(entry => entry.name === 'notes.0002_note_body'), 'plan order is kept');

	const planned = await manage(['migrate', '--plan']);
	const steps = parseMigratePlan(planned.stdout);
	t.deepEqual(steps.find(step => step.name === 'notes.0002_note_body'), {name: 'notes.0002_note_body', direction: 'forwards', operations: ['Add field body to note'], irreversible: false});
	t.deepEqual(steps.find(step => step.name === 'notes.0003_seed')?.operations, ['Raw Python operation', 'Raw SQL operation -> SELECT pg_sleep(1)']);
	t.is(steps.length, 6);
});

test.serial('after a partial migrate the table, showmigrations and the pending list agree', async t => {
	const result = await manage(['migrate', 'notes', '0001']);
	t.is(result.code, 0, result.output);
	const state = await readMigrationState(observer);
	t.deepEqual(state, {tool: 'django', applied: ['notes.0001_initial']});

	const plan = parseShowmigrationsPlan((await manage(['showmigrations', '--plan', '-v', '2'])).stdout);
	t.deepEqual(plan.filter(entry => entry.applied).map(entry => entry.name), ['notes.0001_initial'], 'verbose output (with dependencies) parses the same');
	t.deepEqual(pendingMigrations(state.applied, plan).toSorted(), allMigrations.filter(name => name !== 'notes.0001_initial'));
	t.deepEqual(pendingMigrations(state.applied, plan), plan.filter(entry => !entry.applied).map(entry => entry.name));
});

test.serial('a migration that hits lock_timeout fails retryably, and the recorded state does not move', async t => {
	const before = await applied();
	const locker = await openSession(server, 'long reader');
	try {
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE notes_note IN ACCESS SHARE MODE');
		const result = await manage(['migrate', 'notes', '0002'], {PGOPTIONS: '-c lock_timeout=200ms'});
		t.not(result.code, 0);
		t.regex(result.output, /psycopg2\.errors\.LockNotAvailable: canceling statement due to lock timeout/, 'a real Django traceback');
		t.like(classifyPgError(result.output), {class: 'retryable', code: '55P03'});
	} finally {
		await locker.query('ROLLBACK');
		await locker.end();
	}

	t.deepEqual(diffMigrationStates(before, await applied()), {added: [], removed: []});
	const retried = await manage(['migrate', 'notes', '0002'], {PGOPTIONS: '-c lock_timeout=200ms'});
	t.is(retried.code, 0, retried.output);
	t.deepEqual(diffMigrationStates(before, await applied()), {added: ['notes.0002_note_body'], removed: []});
});

test.serial('a migration cut by statement_timeout leaves the schema unknown', async t => {
	const result = await manage(['migrate', 'notes', '0003'], {PGOPTIONS: '-c statement_timeout=300ms'});
	t.not(result.code, 0);
	t.regex(result.output, /psycopg2\.errors\.QueryCanceled: canceling statement due to statement timeout/);
	t.like(classifyPgError(result.output), {class: 'schema-unknown', code: '57014'});
});

test.serial('a migration whose connection is killed mid-statement leaves the schema unknown', async t => {
	const running = manage(['migrate', 'notes', '0003']);
	const pid = await eventually(async () => {
		const {rows} = await observer.query<{pid: number}>(`SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(1)' AND state = 'active'`);
		return rows[0]?.pid;
	}, 'the migration to reach its slow statement');
	await observer.query('SELECT pg_terminate_backend($1)', [pid]);
	const result = await running;
	t.not(result.code, 0);
	t.regex(result.output, /terminating connection due to administrator command|server closed the connection unexpectedly/);
	t.is(classifyPgError(result.output).class, 'schema-unknown');
	t.false((await applied()).includes('notes.0003_seed'), 'the atomic migration rolled back');
});

test.serial('the rest applies, and the diff names exactly what was added', async t => {
	const before = await applied();
	const result = await manage(['migrate']);
	t.is(result.code, 0, result.output);
	const after = await applied();
	t.deepEqual(diffMigrationStates(before, after).added.toSorted(), ['contenttypes.0001_initial', 'contenttypes.0002_remove_content_type_name', 'notes.0003_seed', 'notes.0004_title_index']);
	t.deepEqual(parseMigratePlan((await manage(['migrate', '--plan'])).stdout), [], '"No planned migration operations." is an empty plan');
});

test.serial('a backwards plan is read as backwards, with its irreversible step flagged', async t => {
	const planned = await manage(['migrate', 'notes', '0002', '--plan']);
	t.is(planned.code, 0, planned.output);
	const expected = [
		{name: 'notes.0004_title_index', direction: 'backwards', operations: ['Undo Alter field title on note'], irreversible: false},
		{name: 'notes.0003_seed', direction: 'backwards', operations: ['Raw Python operation -> IRREVERSIBLE', 'Raw SQL operation -> IRREVERSIBLE'], irreversible: true},
	];
	t.deepEqual(parseMigratePlan(planned.stdout, {applied: await applied()}), expected);
	t.deepEqual(parseMigratePlan(planned.stdout), expected, 'the Undo/IRREVERSIBLE markers tell the direction without the applied list');
});

test.serial('output that holds no plan is an error, not an empty plan', async t => {
	const broken = await runPython(dir, ['manage.py', 'migrate', '--plan'], connectionTo(server, {database: 'no_such_db'}));
	t.not(broken.code, 0);
	t.throws(() => parseMigratePlan(broken.output), {message: /^migrate --plan printed no plan: /});
});
