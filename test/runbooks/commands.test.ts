// The runbook commands as a user runs them: the built CLI against a sandbox with a real database.
import test from 'ava';
import {runCli} from '../helpers/run-cli.js';
import {startReleaseWorld} from '../helpers/release-world.js';

test('backup --verify, backups, restore and history from the command line', async t => {
	const world = await startReleaseWorld();
	try {
		const env = {WHEELHOUSE_STATE_DIR: world.stateDir, WHEELHOUSE_SANDBOX_TOKEN: world.sandbox.token, WHEELHOUSE_OPERATOR: 'oncall'};
		const connection = ['--sandbox-url', world.sandbox.url];
		const backup = await runCli(['backup', 'notechondria-postgres', '--verify', '--yes', ...connection], {env, timeoutMs: 120_000});
		t.is(backup.code, 0, backup.stdout + backup.stderr);
		t.regex(backup.stdout, /Plan:/);
		t.regex(backup.stdout, /is verified \(sha256 [\da-f]{12}…\)/);
		const backupId = /Backup name: (\S+)/.exec(backup.stdout)?.[1];
		t.truthy(backupId);

		const list = await runCli(['backups', 'notechondria-postgres', ...connection], {env});
		t.is(list.code, 0, list.stderr);
		t.regex(list.stdout, new RegExp(`${backupId}\\s+completed.*verified sha256`));

		await world.query("INSERT INTO notes_note (title, body, created_at) VALUES ('after the backup', '', now())");
		const refused = await runCli(['restore', 'notechondria-postgres', backupId!, '--yes', ...connection], {env, timeoutMs: 120_000});
		t.is(refused.code, 1, 'a destructive step needs --confirm with --yes');
		t.regex(refused.stdout, /stopped/);
		const restored = await runCli(['restore', 'notechondria-postgres', backupId!, '--yes', '--confirm', 'notechondria-postgres', ...connection], {env, timeoutMs: 120_000});
		t.is(restored.code, 0, restored.stdout + restored.stderr);
		t.is((await world.query<{count: string}>("SELECT count(*) FROM notes_note WHERE title = 'after the backup'"))[0]?.count, '0');

		const history = await runCli(['history'], {env});
		t.is(history.code, 0);
		t.is(history.stdout.trim().split('\n').length, 3);
		t.regex(history.stdout, /restore\s+notechondria-postgres\s+oncall\s+succeeded/);
		const json = await runCli(['history', '--json'], {env});
		t.is((JSON.parse(json.stdout) as unknown[]).length, 3);
		t.false(json.stdout.includes(world.sandbox.token));
	} finally {
		await world.close();
	}
});

test('release --dry-run prints the plan and the preflight, and changes nothing', async t => {
	const world = await startReleaseWorld();
	try {
		const env = {WHEELHOUSE_STATE_DIR: world.stateDir, WHEELHOUSE_SANDBOX_TOKEN: world.sandbox.token};
		const before = await world.platformState();
		const dry = await runCli(['release', 'notechondria-backend', '--build', world.newBuild, '--dry-run', '--sandbox-url', world.sandbox.url], {env, timeoutMs: 60_000});
		t.is(dry.code, 0, dry.stdout + dry.stderr);
		t.regex(dry.stdout, /1\. Record the deployed build/);
		t.regex(dry.stdout, /equivalent: northflank backup addon/);
		t.regex(dry.stdout, /Preflight:\n[\s\S]*target build: Build \S+ \([\da-f]{7}\) is SUCCESS/);
		t.regex(dry.stdout, /Dry run: nothing was changed\./);
		t.deepEqual(await world.platformState(), before);
	} finally {
		await world.close();
	}
});

test('a release without a terminal and without --yes is refused before anything runs', async t => {
	const result = await runCli(['release', '--sandbox'], {env: {WHEELHOUSE_STATE_DIR: '/nonexistent-wheelhouse-state'}, timeoutMs: 60_000});
	t.is(result.code, 2);
	t.regex(result.stderr, /there is no terminal to ask on/);
	t.regex(result.stderr, /--yes/);
});
