import '../helpers/no-colour.js';
import test from 'ava';
import {logLine} from '../helpers/fake-log-source.js';
import {logRows, openLogView} from '../helpers/log-view.js';

const sgr = /\u001B\[[\d;]*m/;

test('without colour not even a log line\'s own colours are written; levels still read', async t => {
	const app = await openLogView({lines: [logLine('\u001B[31mERROR\u001B[0m in \u001B[1;32mgreen\u001B[0m'), logLine('WARNING slow')]});
	await app.harness.press('/');
	await app.harness.type('green');
	await app.harness.press('enter', 'k');
	t.false(sgr.test(app.harness.output()));
	t.deepEqual(logRows(app).filter(Boolean), ['✖ ERROR in green', '▲ WARNING slow']);
	await app.harness.unmount();
});
