// A corpus of bad input through the built CLI: malformed configs, bad flags, unknown targets, URLs
// that are not, tokens that are wrong or missing. Every case exits 2 with one line naming the
// problem and one naming the fix, prints nothing on stdout, and leaves every file as it found it.
import {createHash} from 'node:crypto';
import {chmodSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {startSandbox, type SandboxHandle} from '../../source/sandbox/index.js';
import {emptyDirectory, runCli} from '../helpers/run-cli.js';
import {rejectedToken, setupToken} from '../helpers/test-secrets.js';

type Case = {
	args: string[];
	message: RegExp;
	/** config.json's content. */
	config?: string;
	/** secrets.json's content and mode (0600 unless given). */
	secrets?: {content: string; mode?: number};
	env?: Record<string, string | undefined>;
	/** Piped to stdin. */
	input?: string;
};

const northflank = (extra: Record<string, unknown> = {}) => JSON.stringify({current: 'prod', contexts: {prod: {platform: 'northflank', project: 'notechondria', ...extra}}});
const context = (fields: Record<string, unknown>) => JSON.stringify({current: 'x', contexts: {x: fields}});

const configs: Case[] = [
	{config: '{"contexts": {', message: /config\.json is not valid: it is not valid JSON \(line 1, column 15: the text ends too early\)/},
	{config: '', message: /is not valid: it is not valid JSON \(line 1, column 1: the text ends too early\)/},
	{config: '{"contexts": {},}', message: /not valid JSON \(line 1, column 17: unexpected "}" where a "quoted" key should be \(a trailing comma\?\)\)/},
	{config: '// my contexts\n{}', message: /not valid JSON \(line 1, column 1: unexpected "\/"\)/},
	{config: '{\n  "contexts": {\n    "x": {"platform": "ssh" "destination": "h"}\n  }\n}', message: /not valid JSON \(line 3, column 29: unexpected "\\"" where a comma or "}" should be\)/},
	{config: '{"contexts": {"x": {"platform": "ssh", "destination": "nf_live_0123456789abcdef}}', message: /line 1, column 55: a string that starts here is not closed/},
	{config: '[]', message: /it holds a list, not an object/},
	{config: 'null', message: /it holds null, not an object/},
	{config: '"prod"', message: /it holds a string, not an object/},
	{config: '42', message: /it holds a number, not an object/},
	{config: '{"contexts": []}', message: /"contexts" is a list, not an object of named contexts/},
	{config: '{"contexts": "prod"}', message: /"contexts" is "prod" \(text\), not an object/},
	{config: '{"contexts": {"x": "northflank"}}', message: /contexts\.x is "northflank" \(text\), not an object/},
	{config: '{"contexts": {"x": null}}', message: /contexts\.x is null, not an object/},
	{config: context({}), message: /contexts\.x\.platform is missing/},
	{config: context({platform: 'heroku', project: 'p'}), message: /contexts\.x\.platform is "heroku" \(text\), a platform this wheelhouse does not know/},
	{config: context({platform: 'rendr'}), message: /platform is "rendr" \(text\), a platform this wheelhouse does not know.*Did you mean "render"\?/s},
	{config: context({platform: 'render', project: 'p'}), message: /contexts\.x has the key "project", which a render context does not have/},
	{config: context({platform: 'render', apiKey: 'rnd_x'}), message: /contexts\.x has the key "apiKey": secrets do not belong in the config file.*RENDER_API_KEY/s},
	{config: context({platform: 'render', apiKeyEnv: 'my key'}), message: /contexts\.x\.apiKeyEnv is not an environment variable name/},
	{config: context({platform: 'render', url: 'ftp://h'}), message: /contexts\.x\.url is a ftp:\/\/ address/},
	{config: context({platform: 'compose', destination: 'h'}), message: /contexts\.x\.projectDir is missing.*A Compose context needs "projectDir"/s},
	{config: context({platform: 'compose', destination: 'h', projectDir: 'srv/app', appService: 'backend', dbService: 'db', tagVariable: 'APP_TAG'}), message: /contexts\.x\.projectDir does not start with \//},
	{config: context({platform: 'compose', destination: 'h', projectDir: '/srv/app', appService: 'back end', dbService: 'db', tagVariable: 'APP_TAG'}), message: /contexts\.x\.appService is not a Compose service name/},
	{config: context({platform: 'compose', destination: 'h', projectDir: '/srv/app', appService: 'backend', dbService: 'db', tagVariable: 'APP-TAG'}), message: /contexts\.x\.tagVariable is not an environment variable name/},
	{config: context({platform: 'compose', destination: 'h', projectDir: '/srv/app', appService: 'backend', dbService: 'db', tagVariable: 'APP_TAG', files: 'compose.yml'}), message: /contexts\.x\.files is "compose\.yml" \(text\), but must be a list of file names/},
	{config: context({platform: 'compose', destination: 'h', projectDir: '/srv/app', appService: 'backend', dbService: 'db', tagVariable: 'APP_TAG', project: 'p'}), message: /contexts\.x has the key "project", which a compose context does not have/},
	{config: context({platform: 42}), message: /contexts\.x\.platform is 42 \(a number\)/},
	{config: context({platform: 'northflank'}), message: /contexts\.x\.project is missing/},
	{config: context({platform: 'northflank', project: ''}), message: /contexts\.x\.project is empty/},
	{config: context({platform: 'northflank', project: 7}), message: /contexts\.x\.project is 7 \(a number\), but must be text/},
	{config: context({platform: 'northflank', project: ['a']}), message: /contexts\.x\.project is a list, but must be text/},
	{config: context({platform: 'northflank', project: 'p', readOnly: 'yes'}), message: /contexts\.x\.readOnly is "yes" \(text\), but must be true or false/},
	{config: context({platform: 'northflank', project: 'p', protected: 1}), message: /contexts\.x\.protected is 1 \(a number\), but must be true or false/},
	{config: context({platform: 'northflank', project: 'p', tokenSecret: 'true'}), message: /contexts\.x\.tokenSecret is "true" \(text\)/},
	{config: context({platform: 'northflank', project: 'p', environment: 'prod'}), message: /contexts\.x\.environment is "prod", which is not one of production, staging, development/},
	{config: context({platform: 'northflank', project: 'p', migrationTool: 'flyway'}), message: /contexts\.x\.migrationTool is "flyway", which is not one of django, alembic/},
	{config: context({platform: 'northflank', project: 'p', healthPath: 'health'}), message: /contexts\.x\.healthPath does not start with \//},
	{config: context({platform: 'northflank', project: 'p', tokenEnv: 'my token'}), message: /contexts\.x\.tokenEnv is not an environment variable name/},
	{config: context({platform: 'northflank', project: 'p', databaseUrlEnv: '1DB'}), message: /contexts\.x\.databaseUrlEnv is not an environment variable name/},
	{config: context({platform: 'northflank', project: 'p', url: 'not a url'}), message: /contexts\.x\.url is not a URL/},
	{config: context({platform: 'northflank', project: 'p', url: 'ftp://files.example.com'}), message: /contexts\.x\.url is a ftp:\/\/ address, not http:\/\/ or https:\/\//},
	{config: context({platform: 'northflank', project: 'p', team: ''}), message: /contexts\.x\.team is empty/},
	{config: context({platform: 'northflank', project: 'p', service: ''}), message: /contexts\.x\.service is empty/},
	{config: context({platform: 'northflank', project: 'p', migrateCommand: 5}), message: /contexts\.x\.migrateCommand is 5 \(a number\)/},
	{config: context({platform: 'northflank', projct: 'p'}), message: /contexts\.x has the key "projct", which a northflank context does not have/},
	{config: context({platform: 'northflank', project: 'p', tokenenv: 'T'}), message: /has the key "tokenenv"/},
	{config: context({platform: 'northflank', project: 'p', token: 'abc'}), message: /contexts\.x has the key "token": secrets do not belong in the config file/},
	{config: context({platform: 'northflank', project: 'p', tokenEnv: 'T', tokenSecret: true}), message: /contexts\.x has both tokenEnv and tokenSecret/},
	{config: context({platform: 'ssh'}), message: /contexts\.x\.destination is missing/},
	{config: context({platform: 'ssh', destination: 'h', project: 'p'}), message: /contexts\.x has the key "project", which a ssh context does not have/},
	{config: context({platform: 'ssh', destination: ''}), message: /contexts\.x\.destination is empty/},
	{config: '{"current": "prod", "contexts": {}}', message: /"current" is "prod", but no context has that name/},
	{config: '{"current": 5, "contexts": {}}', message: /"current" is 5 \(a number\), but must be a context's name/},
	{config: '{"version": "two", "contexts": {}}', message: /"version" is "two", not a version number/},
	{config: '{"version": 3, "contexts": {}}', message: /written by a newer wheelhouse \(version 3; this one reads up to 2\)/},
	{config: '{"version": 0, "contexts": {}}', message: /"version" is 0, not a version number/},
	{config: '{"context": {}}', message: /the key "context" at the top level/},
	{config: '{"colour": true}', message: /the key "colour" at the top level/},
	{config: '{"contexts": {"a": {"platform": "ssh", "destination": "h"}, "b": {"platform": "ssh", "destination": "i"}}}', message: /has 2 contexts and none is current/},
].map(entry => ({...entry, args: ['status']}));

const secretsAndTokens: Case[] = [
	{args: ['status'], config: northflank({tokenSecret: true}), secrets: {content: `{"version": 1, "tokens": {"prod": "${setupToken}"}}`, mode: 0o644}, message: /secrets\.json can be read by other users \(mode 0644\)/},
	{args: ['status'], config: northflank({tokenSecret: true}), secrets: {content: `{"tokens": {"prod": "${setupToken}"`}, message: /secrets\.json is not valid JSON/},
	{args: ['status'], config: northflank({tokenSecret: true}), secrets: {content: '{"tokens": ["a"]}'}, message: /secrets\.json is not valid: "tokens" must map context names to tokens/},
	{args: ['status'], config: northflank({tokenSecret: true}), secrets: {content: '{"tokens": {"staging": "nf_other"}}'}, message: /Context "prod" keeps its token in .*secrets\.json, but that file has no token for it/},
	{args: ['status'], config: northflank({tokenSecret: true}), message: /that file has no token for it/},
	{args: ['status'], config: northflank({tokenEnv: 'PROD_TOKEN'}), message: /needs an API token in the environment variable PROD_TOKEN, which is not set/},
	{args: ['status'], config: northflank(), message: /needs an API token in the environment variable NORTHFLANK_TOKEN, which is not set/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--token-stdin'], input: '', message: /--token-stdin found no token on standard input/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--token-stdin'], input: '\n', message: /found no token/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--token-stdin'], input: 'two words', message: /has spaces, line breaks or control characters in it/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--token-stdin'], input: 'line\nbreak\n', message: /has spaces, line breaks or control characters in it/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--token-stdin'], input: 'x'.repeat(5000), message: /read more than 4 KB: that is not an API token/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--token-env', 'not a variable'], message: /--token-env takes the name of an environment variable/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--token-env', 'T', '--token-stdin'], message: /Give the token one way: --token-env VAR or --token-stdin, not both/},
];

const contextFlags: Case[] = [
	{args: ['context', 'add'], message: /needs the new context's NAME/},
	{args: ['context', 'add', 'bad name!', '--platform', 'ssh', '--destination', 'h'], message: /"bad name!" is not a usable context name/},
	{args: ['context', 'add', '-x'], message: /Unknown option -x|needs a value|usable context name/},
	{args: ['context', 'add', 'x'], message: /needs --platform: northflank, render, compose, or ssh/},
	{args: ['context', 'add', 'x', '--platform', 'heroku'], message: /--platform "heroku" is not a platform wheelhouse knows/},
	{args: ['context', 'add', 'x', '--platform', 'render', '--project', 'p'], message: /--project is for another --platform than render/},
	{args: ['context', 'add', 'x', '--platform', 'render', '--api-key-env', 'rnd_secret-key'], message: /--api-key-env takes the name of an environment variable/},
	{args: ['context', 'add', 'x', '--platform', 'compose'], message: /A Compose context needs --destination/},
	{args: ['context', 'add', 'x', '--platform', 'compose', '--destination', 'h'], message: /A Compose context needs --project-dir/},
	{args: ['context', 'add', 'x', '--platform', 'compose', '--destination', 'h', '--project-dir', 'srv'], message: /--project-dir "srv" is not an absolute path/},
	{args: ['context', 'add', 'x', '--platform', 'compose', '--destination', 'h', '--project-dir', '/srv', '--app-service', 'a b', '--db-service', 'db', '--tag-variable', 'T'], message: /--app-service "a b" is not a Compose service name/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'h', '--project-dir', '/srv'], message: /--project-dir is for a Render or Compose context/},
	{args: ['context', 'add', 'x', '--platform', ''], message: /--platform needs a value/},
	{args: ['context', 'add', 'x', '--platform', 'northflank'], message: /A Northflank context needs --project/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', ' '], message: /--project needs a value/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--url', 'nope'], message: /--url "nope" is not a URL/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--url', 'ftp://h'], message: /--url must be an http:\/\/ or https:\/\/ address, not ftp:\/\//},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--environment', 'prod'], message: /--environment "prod" is not one of production, staging, development/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--migration-tool', 'flyway'], message: /--migration-tool "flyway" is not one wheelhouse knows/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--health-path', 'health'], message: /--health-path "health" is not a path on the service/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--health-path', '/a b'], message: /is not a path on the service/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--database-url-env', '9DB'], message: /--database-url-env "9DB" is not an environment variable name/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--migrate-command', ''], message: /--migrate-command needs a value/},
	{args: ['context', 'add', 'x', '--platform', 'northflank', '--project', 'p', '--destination', 'h'], message: /--destination is for an SSH host context/},
	{args: ['context', 'add', 'x', '--platform', 'ssh'], message: /An SSH host context needs --destination/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'user@'], message: /The SSH destination "user@" does not name a host/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', '@host'], message: /has an empty user name/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'host:99999'], message: /The port "99999" in host:99999 is not a port number/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'h; rm -rf /'], message: /does not name a host/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'h', '--project', 'p'], message: /--project is for a Northflank context/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'h', '--json'], message: /--json is for `wheelhouse context list`/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'h'], config: context({platform: 'ssh', destination: 'other'}), message: /A context named "x" already exists/},
	{args: ['context', 'add', 'x', '--platform', 'ssh', '--destination', 'h', '--bogus'], message: /Unknown option --bogus/},
	{args: ['context', 'add', 'x', 'extra', 'words'], message: /Unexpected argument "words" for wheelhouse context/},
	{args: ['context', 'use'], message: /wheelhouse context use needs the context's NAME/},
	{args: ['context', 'use', 'nope'], message: /No context named "nope"/},
	{args: ['context', 'use', 'nope'], config: context({platform: 'ssh', destination: 'h'}), message: /No context named "nope" in .*config\.json/},
	{args: ['context', 'use', 'x', 'y'], message: /Unexpected argument "y" for wheelhouse context use/},
	{args: ['context', 'use', 'x', '--json'], message: /--json is for `wheelhouse context list`, not `context use`/},
	{args: ['context', 'use', 'x', '--project', 'p'], message: /--project is an option of `wheelhouse context add`, not of `context use`/},
	{args: ['context', 'remove'], message: /wheelhouse context remove needs the context's NAME/},
	{args: ['context', 'remove', 'nope'], message: /No context named "nope"/},
	{args: ['context', 'list', 'extra'], message: /Unexpected argument "extra" for wheelhouse context list/},
	{args: ['context', 'list', '--platform', 'ssh'], message: /--platform is an option of `wheelhouse context add`/},
	{args: ['context', 'list', '--read-only'], message: /--read-only is an option of `wheelhouse context add`/},
	{args: ['context', 'frobnicate'], message: /Unknown context action "frobnicate"/},
	{args: ['context', 'list'], config: '{"contexts": {', message: /config\.json is not valid: it is not valid JSON/},
	{args: ['setup', '--sandbox'], message: /setup --sandbox would save a context for a sandbox that stops when setup ends/},
	{args: ['setup', '--read-only'], message: /--context, --read-only and --json do not apply/},
	{args: ['setup'], message: /wheelhouse setup asks its questions on an interactive terminal/},
	{args: ['setup'], config: '{"contexts": 1}', message: /"contexts" is 1 \(a number\)/},
	{args: ['setup', 'now'], message: /Unexpected argument "now" for wheelhouse setup/},
	{args: ['setup', '--project', 'p'], message: /Unknown option --project for wheelhouse setup/},
];

const globalsAndCommands: Case[] = [
	{args: ['--context', ''], message: /--context needs a context name/},
	{args: ['status', '--context', 'prod'], message: /No context named "prod"/},
	{args: ['status', '--context', 'staging'], config: northflank(), message: /No context named "staging" in .*config\.json\.\n {2}Known contexts: prod/},
	{args: ['status', '--sandbox', '--context', 'x'], message: /Choose one of --context, --sandbox and --sandbox-url/},
	{args: ['status', '--sandbox-url', 'not a url'], message: /--sandbox-url "not a url" is not a URL/},
	{args: ['status', '--sandbox-url', 'ftp://127.0.0.1:1'], message: /--sandbox-url must be an http:\/\/ or https:\/\/ URL, not ftp:\/\//},
	{args: ['status', '--sandbox-url', 'localhost:4780'], message: /must be an http/},
	{args: ['status', '--sandbox-url', 'http://127.0.0.1:9'], message: /Cannot reach the sandbox at http:\/\/127\.0\.0\.1:9/},
	{args: ['status', '--context', 'x'], config: context({platform: 'ssh', destination: 'h'}), message: /Context "x" is an SSH host \(h\); this version can only open a shell on it/},
	{args: ['status', 'now'], message: /Unexpected argument "now" for wheelhouse status/},
	{args: ['frobnicate'], message: /Unknown command "frobnicate"/},
	{args: ['--frobnicate'], message: /Unknown option --frobnicate/},
	{args: ['status', '--port', '1'], message: /Unknown option --port for wheelhouse status/},
	{args: ['status', '--', 'ls'], message: /takes no command after --/},
	{args: ['logs'], message: /wheelhouse logs needs a TARGET/},
	{args: ['logs', 'web', '--since', 'yesterday'], message: /--since "yesterday" is neither a duration nor a time/},
	{args: ['logs', 'web', '--grep', '(unclosed'], message: /--grep "\(unclosed" is not a valid regular expression/},
	{args: ['logs', 'web', 'extra'], message: /Unexpected argument "extra"/},
	{args: ['exec', 'web', '--'], message: /Nothing after -- to run/},
	{args: ['sandbox', '--port', 'eighty'], message: /--port "eighty" is not a port number/},
	{args: ['sandbox', '--port', '70000'], message: /--port "70000" is not a port number/},
	{args: ['sandbox', '--log-rate', '0'], message: /--log-rate "0" is not a rate the sandbox can make/},
	{args: ['sandbox', '--chaos', 'latency=fast'], message: /latency/},
	{args: ['release', 'x', '--build', ''], message: /--build needs a value/},
	{args: ['release', 'x', '--build', '   '], message: /--build needs a value/},
	{args: ['release', 'x', '--confirm', ''], message: /--confirm needs a value/},
	{args: ['release', 'a', 'b'], message: /Unexpected argument "b" for wheelhouse release/},
	{args: ['rollback', 'x', '--to', ''], message: /--to needs a value/},
	{args: ['rollback', 'x', '--restore', ''], message: /--restore needs a value/},
	{args: ['restore', 'notechondria-postgres'], message: /wheelhouse restore needs ADDON and BACKUP/},
	{args: ['restore'], message: /wheelhouse restore needs ADDON and BACKUP/},
	{args: ['backups', 'x', '--yes'], message: /Unknown option --yes for wheelhouse backups/},
	{args: ['history', '--dry-run'], message: /Unknown option --dry-run for wheelhouse history/},
	{args: ['resume', '--frobnicate'], message: /Unknown option --frobnicate/},
	{args: ['release', 'x', '--read-only'], message: /wheelhouse release deploys a build .*--read-only forbids every change/},
	{args: ['backup', 'x', '--read-only'], message: /wheelhouse backup starts a backup of the database, and --read-only forbids every change/},
	{args: ['restore', 'a', 'b', '--read-only'], message: /wheelhouse restore overwrites the database with a backup/},
	{args: ['rollback', 'x', '--read-only'], message: /wheelhouse rollback redeploys an earlier build/},
	{args: ['resume', '--read-only'], message: /wheelhouse resume continues a runbook/},
	{args: ['exec', '--read-only', 'x', '--', 'true'], message: /wheelhouse exec opens a shell or runs a command/},
	{args: ['release', 'x'], config: northflank({readOnly: true}), message: /Context "prod" is read-only, and wheelhouse release deploys a build/},
	{args: ['exec', 'x', '--', 'true'], config: northflank({readOnly: true}), message: /Context "prod" is read-only, and wheelhouse exec opens a shell/},
];

/** Cases that need a platform to answer: unknown targets, a rejected token. */
function withSandbox(sandbox: SandboxHandle): Case[] {
	const url = ['--sandbox-url', sandbox.url];
	return [
		{args: ['logs', 'nope', ...url], message: /No service, job or addon named "nope"/},
		{args: ['exec', 'nope', ...url, '--', 'true'], message: /No service, job or addon named "nope"/},
		{args: ['release', 'nope', '--dry-run', ...url], message: /No service named "nope"/},
		{args: ['backups', 'nope', ...url], message: /No addon named "nope"/},
		{args: ['backup', 'nope', '--dry-run', ...url], message: /No addon named "nope"/},
		{args: ['restore', 'notechondria-postgres', 'nope', '--dry-run', ...url], message: /Addon notechondria-postgres has no backup "nope"/},
		{args: ['status', ...url], env: {WHEELHOUSE_SANDBOX_TOKEN: rejectedToken}, message: /rejected the API token/},
		{args: ['status'], config: northflank({url: sandbox.url, tokenEnv: 'PROD_TOKEN'}), env: {PROD_TOKEN: rejectedToken}, message: /rejected the API token/},
		{args: ['status'], config: northflank({url: sandbox.url, project: 'no-such-project', tokenEnv: 'PROD_TOKEN'}), env: {PROD_TOKEN: sandbox.token}, message: /No project "no-such-project" is visible to this token/},
	];
}

type Snapshot = Record<string, {mode: number; sha256: string}>;

function snapshot(directory: string): Snapshot {
	return Object.fromEntries(readdirSync(directory).map(name => {
		const path = join(directory, name);
		return [name, {mode: statSync(path).mode & 0o777, sha256: createHash('sha256').update(readFileSync(path)).digest('hex')}];
	}));
}

async function check(t: ExecutionContext, entry: Case): Promise<void> {
	const label = `${entry.args.join(' ')}${entry.config === undefined ? '' : ` with config ${entry.config.slice(0, 80)}`}`;
	const directory = emptyDirectory();
	const state = emptyDirectory();
	if (entry.config !== undefined) {
		writeFileSync(join(directory, 'config.json'), entry.config);
	}

	if (entry.secrets) {
		writeFileSync(join(directory, 'secrets.json'), entry.secrets.content);
		chmodSync(join(directory, 'secrets.json'), entry.secrets.mode ?? 0o600);
	}

	const before = snapshot(directory);
	const result = await runCli(entry.args, {
		env: {WHEELHOUSE_CONFIG_DIR: directory, WHEELHOUSE_STATE_DIR: state, NORTHFLANK_TOKEN: undefined, WHEELHOUSE_SANDBOX_TOKEN: undefined, ...entry.env},
		input: entry.input,
	});
	t.is(result.code, 2, `${label}: exit ${result.code}\n${result.stderr}`);
	t.regex(result.stderr, /^wheelhouse: \S[^\n]*\n {2}\S[^\n]*\n$/, `${label}: one line naming the problem, one naming the fix`);
	t.regex(result.stderr, entry.message, label);
	t.is(result.stdout, '', label);
	t.deepEqual(snapshot(directory), before, `${label}: nothing written`);
	t.false(result.stderr.includes(setupToken) || result.stderr.includes(rejectedToken), `${label}: no token printed`);
}

async function checkAll(t: ExecutionContext, cases: Case[]): Promise<void> {
	// A few at a time: each is a process start.
	const queue = [...cases];
	await Promise.all(Array.from({length: 4}, async () => {
		for (let entry = queue.shift(); entry; entry = queue.shift()) {
			await check(t, entry);
		}
	}));
}

test('there are at least 100 cases', t => {
	const count = configs.length + secretsAndTokens.length + contextFlags.length + globalsAndCommands.length + withSandbox({url: 'http://127.0.0.1:1', token: 't'} as SandboxHandle).length;
	t.log(`${count} cases`);
	t.true(count >= 100);
});

test('malformed and hand-edited configs', async t => {
	await checkAll(t, configs);
});

test('secrets files and tokens', async t => {
	await checkAll(t, secretsAndTokens);
});

test('context and setup flags', async t => {
	await checkAll(t, contextFlags);
});

test('global options, commands, runbook flags and read-only', async t => {
	await checkAll(t, globalsAndCommands);
});

test('targets, tokens and projects the platform does not know', async t => {
	const sandbox = await startSandbox({port: 0, database: 'simulated'});
	t.teardown(async () => sandbox.close());
	await checkAll(t, withSandbox(sandbox));
});
