import test from 'ava';
import {paletteCommands} from '../../source/ui/commands.js';
import {available, bindingKeysLabel, bindings} from '../../source/ui/keymap.js';
import type {Harness} from '../helpers/render-harness.js';
import {recordingActions, renderApp} from '../helpers/render-app.js';

/** Every screen line seen while paging from the top to the bottom of the help screen. */
async function readWholeHelp(harness: Harness): Promise<string[]> {
	const seen: string[] = [];
	let previous = '';
	for (let page = 0; page < 100 && harness.frame() !== previous; page++) {
		previous = harness.frame();
		seen.push(...harness.lines());
		await harness.press('pagedown');
	}

	return seen;
}

const escape = (text: string): string => text.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`);

/** A key column and its description, side by side on one line. */
const listed = (seen: string[], keys: string, description: string): boolean =>
	seen.some(line => new RegExp(`(^|\\s)${escape(keys)}\\s+${escape(description)}(\\s|$)`).test(line));

for (const [columns, rows] of [[120, 40], [80, 24]] as const) {
	test(`? at ${columns}×${rows} lists every key binding and every command, from the keymap`, async t => {
		const {harness} = await renderApp({columns, rows, actions: recordingActions(), logs: true, shell: true});
		await harness.press('?');
		t.true(harness.frame().includes('Help — keys and commands'));
		const seen = await readWholeHelp(harness);
		// Every binding of the features this console has (setup's `S` exists only without any context).
		for (const binding of bindings.filter(candidate => available(candidate, {logs: true, shell: true}))) {
			t.true(listed(seen, bindingKeysLabel(binding), binding.description), `${binding.scope}: ${binding.description}`);
		}

		for (const command of paletteCommands(true, {logs: true, shell: true})) {
			t.true(listed(seen, [command.name, ...command.aliases].map(name => `:${name}`).join(' '), command.description), command.name);
		}

		await harness.unmount();
	});
}

test('help in read-only mode says mutating commands are absent', async t => {
	const {harness} = await renderApp({columns: 120, rows: 40});
	await harness.press('?');
	const frame = harness.frame();
	t.true(frame.includes('Read-only: nothing here can change the deployment.'));
	t.false(frame.includes(':restart'));
	await harness.unmount();
});

test('esc or ? closes help; the footer always shows how', async t => {
	const {harness} = await renderApp();
	await harness.press('?');
	t.regex(harness.lines().at(-1) ?? '', /esc\/\? close/);
	await harness.press('?');
	t.true(harness.frame().includes('Services (1)'));
	await harness.press('?', 'esc');
	t.true(harness.frame().includes('Services (1)'));
	await harness.unmount();
});

test('the footer hints the main keys of the dashboard at 80 columns', async t => {
	const {harness} = await renderApp();
	const footer = harness.lines().at(-1) ?? '';
	for (const hint of ['tab pane', 'enter open', '/ filter', ': command', '? help', 'q quit']) {
		t.true(footer.includes(hint), hint);
	}

	await harness.unmount();
});
