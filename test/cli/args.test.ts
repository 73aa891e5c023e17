import test from 'ava';
import {parseInvocation} from '../../source/cli/args.js';
import {UsageError} from '../../source/core/errors.js';

test('no arguments opens the console', t => {
	t.like(parseInvocation([]), {command: 'console', globals: {sandbox: false, readOnly: false}});
});

test('global options go before or after the command', t => {
	t.like(parseInvocation(['--context', 'prod', 'status', '--json']), {command: 'status', globals: {context: 'prod', json: true}});
	t.like(parseInvocation(['status', '--context=prod']), {command: 'status', globals: {context: 'prod'}});
	t.like(parseInvocation(['--sandbox']), {command: 'console', globals: {sandbox: true}});
});

test('sandbox takes a port, a state directory and a chaos spec', t => {
	t.like(parseInvocation(['sandbox', '--port', '4780', '--state', '/tmp/s', '--chaos', '5xx=0.1']), {command: 'sandbox', port: 4780, stateDir: '/tmp/s', chaos: '5xx=0.1'});
});

const usage = (argv: string[]) => {
	try {
		parseInvocation(argv);
	} catch (error) {
		if (error instanceof UsageError) {
			return error;
		}

		throw error;
	}

	throw new Error(`no usage error for ${argv.join(' ')}`);
};

test('bad input names the problem and the fix, with exit status 2', t => {
	const cases: Array<[string[], RegExp]> = [
		[['--frobnicate'], /Unknown option '--frobnicate'|Unknown option --frobnicate/],
		[['status', '--port', '1'], /Unknown option --port for wheelhouse status/],
		[['deploy'], /Unknown command "deploy"/],
		[['status', 'extra'], /Unexpected argument "extra"/],
		[['--context'], /--context/],
		[['--context', ''], /--context needs a context name/],
		[['--sandbox', '--context', 'x'], /Choose one of/],
		[['--sandbox-url', 'not a url'], /is not a URL/],
		[['--sandbox-url', 'ftp://127.0.0.1:1'], /must be an http/],
		[['sandbox', '--port', 'eighty'], /is not a port number/],
		[['sandbox', '--port', '70000'], /is not a port number/],
		[['restore', 'notechondria-postgres'], /needs ADDON and BACKUP/],
		[['release', '--build', ''], /--build needs a value/],
		[['release', '--verify'], /Unknown option --verify for wheelhouse release/],
		[['rollback', 'web', '--to', ' '], /--to needs a value/],
		[['history', 'a', 'b'], /Unexpected argument "b"/],
		[['exec', 'web', '--'], /Nothing after -- to run/],
		[['status', '--', 'ls'], /takes no command after --/],
		[['logs'], /needs a TARGET/],
		[['logs', 'web', '--since', 'yesterday'], /--since "yesterday" is neither a duration nor a time/],
		[['logs', 'web', '--grep', '(unclosed'], /--grep "\(unclosed" is not a valid regular expression/],
		[['logs', 'web', 'extra'], /Unexpected argument "extra"/],
	];
	for (const [argv, message] of cases) {
		const error = usage(argv);
		t.regex(error.message, message, argv.join(' '));
		t.is(error.exitCode, 2);
		t.truthy(error.hint, `${argv.join(' ')} has a hint`);
	}
});

test('logs takes a target, follow, a since duration or time, a grep pattern and json', t => {
	const invocation = parseInvocation(['logs', 'notechondria-backend', '-f', '--since', '10m', '--grep', 'ERROR|5\\d\\d', '--json']);
	t.like(invocation, {command: 'logs', target: 'notechondria-backend', follow: true, sinceMs: 600_000, globals: {json: true}});
	t.true(invocation.command === 'logs' && invocation.grep!.test('HTTP 503'));
	const since = parseInvocation(['logs', 'web', '--since', new Date(Date.now() - 3_600_000).toISOString()]);
	t.true(since.command === 'logs' && Math.abs(since.sinceMs! - 3_600_000) < 5000);
});

test('the runbook commands take their target, their options and how to run', t => {
	t.like(parseInvocation(['release', 'web', '--build', 'b1', '--dry-run']), {command: 'release', service: 'web', build: 'b1', run: {dryRun: true, yes: false}});
	t.like(parseInvocation(['rollback', '--to', 'b0', '--restore', 'bk', '--reverse-to', 'notes.0002', '-y', '--confirm', 'web']), {command: 'rollback', service: undefined, to: 'b0', restore: 'bk', reverseTo: 'notes.0002', run: {yes: true, confirm: 'web'}});
	t.like(parseInvocation(['backup', 'db', '--verify']), {command: 'backup', addon: 'db', verify: true});
	t.like(parseInvocation(['restore', 'db', 'bk-1', '--yes']), {command: 'restore', addon: 'db', backup: 'bk-1', run: {yes: true}});
	t.like(parseInvocation(['history', '--json']), {command: 'history', runId: undefined, globals: {json: true}});
	t.like(parseInvocation(['resume', 'r-1', '--break-lock']), {command: 'resume', runId: 'r-1', breakLock: true});
});

test('exec takes a target, an instance and the remote command after --, untouched', t => {
	t.deepEqual(parseInvocation(['exec', 'notechondria-backend']), {command: 'exec', globals: {context: undefined, sandbox: false, sandboxUrl: undefined, readOnly: false, json: false}, target: 'notechondria-backend', instance: undefined, argv: undefined});
	t.like(parseInvocation(['exec', 'web', '--instance', 'web-1', '--', 'python', 'manage.py', '--help', '--', 'x']), {command: 'exec', target: 'web', instance: 'web-1', argv: ['python', 'manage.py', '--help', '--', 'x']});
	t.like(parseInvocation(['--sandbox', 'exec', 'web', '--', 'ls', '-la']), {command: 'exec', globals: {sandbox: true}, argv: ['ls', '-la']});
});

test('--help and --version win over everything else', t => {
	t.deepEqual(parseInvocation(['status', '--help']), {command: 'help', topic: 'status'});
	t.deepEqual(parseInvocation(['--version']), {command: 'version'});
	t.deepEqual(parseInvocation(['help', 'sandbox']), {command: 'help', topic: 'sandbox'});
});
