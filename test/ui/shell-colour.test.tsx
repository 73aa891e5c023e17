import '../helpers/force-colour.js';
import test from 'ava';
import {renderApp} from '../helpers/render-app.js';
import {waitForConsole, waitForShell} from '../helpers/shell.js';

const red = 1;
const green = 2;

test('a shell that exited non-zero is reported in red, zero in green', async t => {
	const app = await renderApp({shell: true});
	await app.harness.press('s');
	(await waitForShell(app)).exit(3);
	await waitForConsole(app, 'exited 3');
	t.is(app.harness.styleOf('✖ shell in')?.foreground, red);
	await app.harness.press('s');
	(await waitForShell(app, 2)).exit(0);
	await waitForConsole(app, 'exited 0');
	t.is(app.harness.styleOf('✔ shell in')?.foreground, green);
	await app.harness.unmount();
});
