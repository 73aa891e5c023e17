import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import test from 'ava';
import {quoteShellArgument, quoteShellCommand} from '../../../source/infra/ssh/shell-quote.js';

const run = promisify(execFile);

test('plain words stay bare; anything else is single-quoted', t => {
	t.is(quoteShellCommand(['ls', '-la', '/var/log', 'a=b', 'user@host:22']), 'ls -la /var/log a=b user@host:22');
	t.is(quoteShellArgument(''), '\'\'');
	t.is(quoteShellArgument('it\'s'), String.raw`'it'\''s'`);
	t.is(quoteShellArgument('$(reboot)'), '\'$(reboot)\'');
});

for (const shell of ['sh', 'bash']) {
	test(`${shell} sees exactly the arguments given`, async t => {
		const argv = ['two words', '', '\'', '"', '\\', '$HOME', '`id`', '$(id)', '*', '~', 'a\nb', '-n', '!', '#', ';', '&&', '|', '>', '{a,b}', 'ünï ✓'];
		const {stdout} = await run(shell, ['-c', quoteShellCommand(['printf', '<%s>\\n', ...argv])]);
		t.is(stdout, argv.map(argument => `<${argument}>\n`).join(''));
	});
}
