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
		[['logs'], /not available in this version yet/],
	];
	for (const [argv, message] of cases) {
		const error = usage(argv);
		t.regex(error.message, message, argv.join(' '));
		t.is(error.exitCode, 2);
		t.truthy(error.hint, `${argv.join(' ')} has a hint`);
	}
});

test('--help and --version win over everything else', t => {
	t.deepEqual(parseInvocation(['status', '--help']), {command: 'help', topic: 'status'});
	t.deepEqual(parseInvocation(['--version']), {command: 'version'});
	t.deepEqual(parseInvocation(['help', 'sandbox']), {command: 'help', topic: 'sandbox'});
});
