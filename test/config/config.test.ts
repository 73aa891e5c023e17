import {createHash} from 'node:crypto';
import {chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {UsageError} from '../../source/core/errors.js';
import {loadConfig, readContextToken, saveConfig, tokenSource, type NorthflankContext} from '../../source/infra/config.js';
import {processRedactor} from '../../source/infra/redact.js';
import {readSecrets, storeToken} from '../../source/infra/secrets.js';
import {makeTempDir, removeTempDir} from '../helpers/sshd.js';
import {otherStoredToken, setupToken} from '../helpers/test-secrets.js';

async function configDir(t: {teardown(fn: () => Promise<void>): void}, content?: string): Promise<string> {
	const directory = await makeTempDir('config');
	t.teardown(async () => removeTempDir(directory));
	if (content !== undefined) {
		writeFileSync(join(directory, 'config.json'), content);
	}

	return directory;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

const v1File = `{
  "current": "production",
  "contexts": {
    "production": {"platform": "northflank", "project": "notechondria"},
    "staging": {"platform": "northflank", "project": "notechondria-staging", "tokenEnv": "STAGING_TOKEN"},
    "bastion": {"platform": "ssh", "destination": "deploy@bastion.example.com"}
  }
}
`;

test('no config file is an empty config, and reading creates nothing', async t => {
	const directory = await configDir(t);
	const config = loadConfig(join(directory, 'nested'));
	t.deepEqual(config.contexts, {});
	t.false(config.exists);
	t.false(existsSync(join(directory, 'nested')));
});

test('a version 1 file is migrated in memory, left byte for byte as it is, and rewritten only by a save', async t => {
	const directory = await configDir(t, v1File);
	const path = join(directory, 'config.json');
	const before = sha256(path);
	const config = loadConfig(directory);
	t.is(config.version, 2);
	t.is(config.migratedFrom, 1);
	t.deepEqual(config.contexts.production, {platform: 'northflank', project: 'notechondria', tokenEnv: 'NORTHFLANK_TOKEN'}, 'the token variable v1 read by default is written out');
	t.deepEqual(config.contexts.staging, {platform: 'northflank', project: 'notechondria-staging', tokenEnv: 'STAGING_TOKEN'});
	t.is(sha256(path), before, 'reading never writes');

	await saveConfig(current => ({...current, current: 'staging'}), directory);
	const saved = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
	t.is(saved.version, 2);
	t.is(saved.current, 'staging');
	t.deepEqual((saved.contexts as Record<string, unknown>).production, {platform: 'northflank', project: 'notechondria', tokenEnv: 'NORTHFLANK_TOKEN'});
	t.is(statSync(path).mode & 0o777, 0o600);
	t.is(loadConfig(directory).migratedFrom, undefined);
});

test('malformed files name the file, the key and the fix, and are left untouched', async t => {
	const cases: Array<[string, RegExp, RegExp]> = [
		['{"contexts": {"prod": {"platform": "northflank", "project": "p",}}}', /not valid JSON \(line 1, column \d+: /, /Fix that spot/],
		['{"contexts": {"prod": {"platform": "heroku", "project": "p"}}}', /contexts\.prod\.platform is "heroku" \(text\), a platform this wheelhouse does not know/, /Use "northflank"/],
		['{"contexts": {"prod": {"platform": "northflank"}}}', /contexts\.prod\.project is missing/, /needs "project"/],
		['{"contexts": {"prod": {"platform": "northflank", "project": "p", "readOnly": "yes"}}}', /contexts\.prod\.readOnly is "yes" \(text\), but must be true or false/, /without quotes/],
		['{"contexts": {"prod": {"platform": "northflank", "projct": "p"}}}', /has the key "projct"/, /Did you mean "project"\?/],
		['{"contexts": {"prod": {"platform": "northflank", "project": "p", "token": "abc"}}}', /secrets do not belong in the config file/, /wheelhouse setup/],
		['{"current": "prod", "contexts": {}}', /"current" is "prod", but no context has that name/, /context use NAME/],
		['{"version": 7, "contexts": {}}', /written by a newer wheelhouse \(version 7/, /Upgrade wheelhouse/],
		['{"contxts": {}}', /the key "contxts" at the top level/, /Did you mean "contexts"\?/],
	];
	for (const [content, message, hint] of cases) {
		const directory = await configDir(t, content);
		const error = t.throws(() => loadConfig(directory), {instanceOf: UsageError}, content)!;
		t.true(error.message.includes(join(directory, 'config.json')), 'the file is named');
		t.regex(error.message, message, content);
		t.regex(error.hint ?? '', hint, content);
		t.regex(error.hint ?? '', /left the file untouched/);
		t.is(readFileSync(join(directory, 'config.json'), 'utf8'), content);
	}
});

test('saving refuses to build on a malformed file, and leaves it as it was', async t => {
	const content = '{"contexts": {"prod": {"platform": "northflank", "project": 7}}}';
	const directory = await configDir(t, content);
	await t.throwsAsync(saveConfig(current => current, directory), {message: /contexts\.prod\.project is 7 \(a number\), but must be text/});
	t.is(readFileSync(join(directory, 'config.json'), 'utf8'), content);
});

test('the token: the variable a context names, else NORTHFLANK_TOKEN, else the stored one', async t => {
	const directory = await configDir(t);
	const stored: NorthflankContext = {platform: 'northflank', project: 'p', tokenSecret: true};
	await storeToken('prod', setupToken, directory);
	t.is(readContextToken('prod', stored, {}, directory), setupToken);
	t.is(readContextToken('prod', stored, {NORTHFLANK_TOKEN: 'from-the-environment'}, directory), 'from-the-environment', 'the platform\'s convention wins');
	t.deepEqual(tokenSource(stored, {}, directory), {kind: 'secret', file: join(directory, 'secrets.json')});
	const named: NorthflankContext = {platform: 'northflank', project: 'p', tokenEnv: 'PROD_TOKEN'};
	t.is(readContextToken('prod', named, {PROD_TOKEN: 'named-variable', NORTHFLANK_TOKEN: 'other'}, directory), 'named-variable');
	t.throws(() => readContextToken('prod', named, {}, directory), {message: /needs an API token in the environment variable PROD_TOKEN, which is not set/});
	t.throws(() => readContextToken('other', stored, {}, directory), {message: /keeps its token in .*secrets\.json, but that file has no token for it/});
});

test('stored tokens live in secrets.json (0600, directory 0700), join the redactor, and a file others can read is refused', async t => {
	const directory = join(await configDir(t), 'wheelhouse');
	mkdirSync(directory, {mode: 0o755});
	chmodSync(directory, 0o755);
	await storeToken('prod', setupToken, directory);
	await storeToken('staging', otherStoredToken, directory);
	const path = join(directory, 'secrets.json');
	t.is(statSync(path).mode & 0o777, 0o600);
	t.is(statSync(directory).mode & 0o777, 0o700);
	t.deepEqual(readSecrets(directory).tokens, {prod: setupToken, staging: otherStoredToken});
	t.is(processRedactor.redact(`Bearer ${setupToken}`), 'Bearer nf_…5b2d');

	await storeToken('staging', undefined, directory);
	t.deepEqual(readSecrets(directory).tokens, {prod: setupToken});

	chmodSync(path, 0o644);
	const error = t.throws(() => readSecrets(directory), {instanceOf: UsageError})!;
	t.regex(error.message, /can be read by other users \(mode 0644\)/);
	t.regex(error.hint ?? '', /chmod 600/);

	chmodSync(path, 0o600);
	writeFileSync(path, `{"tokens": {"prod": "${setupToken}"`);
	const broken = t.throws(() => readSecrets(directory), {instanceOf: UsageError})!;
	t.false(`${broken.message}${broken.hint ?? ''}`.includes(setupToken), 'a parse error never quotes the file');
});

test('a shared directory named by WHEELHOUSE_CONFIG_DIR keeps its mode; a new one is created 0700', async t => {
	const shared = await configDir(t);
	chmodSync(shared, 0o755);
	await storeToken('prod', setupToken, shared);
	t.is(statSync(shared).mode & 0o777, 0o755);
	t.is(statSync(join(shared, 'secrets.json')).mode & 0o777, 0o600);
	const fresh = join(shared, 'new', 'place');
	await saveConfig(current => current, fresh);
	t.is(statSync(fresh).mode & 0o777, 0o700);
});
