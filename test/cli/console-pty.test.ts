import test from 'ava';
import {spawnInPty} from '../../bench/pty.mjs';
import {emptyDirectory} from '../helpers/run-cli.js';

const bin = new URL('../../bin/wheelhouse.js', import.meta.url).pathname;

test('the console opens on a terminal, shows the sandbox and gives the terminal back on q', async t => {
	const pty = spawnInPty([process.execPath, bin], {columns: 80, rows: 24, env: {WHEELHOUSE_CONFIG_DIR: emptyDirectory()}});
	await pty.waitFor('notechondria-backend');
	t.true(pty.output().includes('\u001B[?1049h'), 'entered the alternate screen');
	t.true(pty.output().includes('SANDBOX'));
	pty.child.stdin!.write('q');
	t.is(await pty.exited(), 0);
	t.true(pty.output().includes('\u001B[?1049l'), 'left the alternate screen');
});

test('a console whose platform cannot be reached closes, restores the terminal and exits 2 with the reason', async t => {
	const pty = spawnInPty([process.execPath, bin, '--sandbox-url', 'http://127.0.0.1:45999'], {columns: 80, rows: 24});
	t.is(await pty.exited(), 2);
	const output = pty.output();
	t.true(output.includes('\u001B[?1049l'), 'left the alternate screen');
	t.regex(output.slice(output.lastIndexOf('\u001B[?1049l')), /Cannot reach the sandbox at http:\/\/127\.0\.0\.1:45999 \(ECONNREFUSED\)/);
});
