import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import type pg from 'pg';
import {parseAlembic, readMigrationState} from '../../../source/infra/postgres/index.js';
import {makeTempDir, removeTempDir} from '../../helpers/sshd.js';
import {startPostgres, type PostgresServer} from '../../helpers/postgres.js';
import {makeAlembicProject, runPython, type CommandOutput} from './python-projects.js';
import {connectionTo, openSession} from './world.js';

let server: PostgresServer;
let dir: string;
let observer: pg.Client;

test.before(async () => {
	[server, dir] = await Promise.all([startPostgres(), makeTempDir('alembic')]);
	await makeAlembicProject(dir);
	observer = await openSession(server, 'test observer');
});

test.after.always(async () => {
	await observer?.end();
	await server?.stop();
	await removeTempDir(dir);
});

const alembic = async (...args: string[]): Promise<CommandOutput> => {
	const result = await runPython(dir, ['-m', 'alembic', ...args], connectionTo(server));
	if (result.code !== 0) {
		throw new Error(`alembic ${args.join(' ')} failed:\n${result.output}`);
	}

	return result;
};

/** What a runbook would capture: everything the commands print, logging lines included. */
const state = async (...flags: string[]) => parseAlembic((await alembic('current', ...flags)).output, (await alembic('heads', ...flags)).output);

test.serial('a fresh database is behind the single head', async t => {
	t.deepEqual(await state(), {current: [], heads: ['bbb222'], pending: true, multipleHeads: false});
	t.deepEqual(await readMigrationState(observer), {tool: 'none', applied: []});
});

test.serial('part-way, current and heads differ; the database records the same revision', async t => {
	await alembic('upgrade', 'aaa111');
	t.deepEqual(await state(), {current: ['aaa111'], heads: ['bbb222'], pending: true, multipleHeads: false});
	t.deepEqual(await state('--verbose'), {current: ['aaa111'], heads: ['bbb222'], pending: true, multipleHeads: false}, 'verbose output parses the same');
	t.deepEqual(await readMigrationState(observer), {tool: 'alembic', applied: ['aaa111']});
});

test.serial('at head nothing is pending', async t => {
	await alembic('upgrade', 'head');
	t.deepEqual(await state(), {current: ['bbb222'], heads: ['bbb222'], pending: false, multipleHeads: false});
	t.deepEqual(await readMigrationState(observer), {tool: 'alembic', applied: ['bbb222']});
});

test.serial('a second branch shows as multiple heads', async t => {
	await writeFile(join(dir, 'migrations/versions/ccc333_branch.py'), `"""branch"""
revision = 'ccc333'
down_revision = 'aaa111'

def upgrade():
    pass

def downgrade():
    pass
`);
	const branched = await state();
	t.deepEqual({...branched, heads: branched.heads.toSorted()}, {current: ['bbb222'], heads: ['bbb222', 'ccc333'], pending: true, multipleHeads: true});
});
