import test from 'ava';
import {suggest, paletteCommands, resolveCommand} from '../../source/ui/commands.js';
import {layoutPanes} from '../../source/ui/layout.js';
import {initialUiState, resolveIndex, uiReducer} from '../../source/ui/ui-state.js';

test('a cursor follows its id, and falls back to the nearest row when the id is gone', t => {
	t.is(resolveIndex({id: 'b', index: 0}, ['a', 'b', 'c']), 1);
	t.is(resolveIndex({id: 'gone', index: 5}, ['a', 'b', 'c']), 2);
	t.is(resolveIndex({index: 0}, []), -1);
});

test('moving in Services resets the Builds cursor to the newest build', t => {
	let state = uiReducer(initialUiState, {type: 'move', pane: 'builds', ids: ['b1', 'b2'], delta: 1});
	t.is(state.cursors.builds.id, 'b2');
	state = uiReducer(state, {type: 'move', pane: 'services', ids: ['s1', 's2'], delta: 1});
	t.deepEqual(state.cursors.builds, {index: 0});
});

test('a dialog always opens on Cancel', t => {
	const state = uiReducer(initialUiState, {type: 'open-dialog', dialog: {command: 'restart', serviceId: 's', serviceName: 's'}});
	t.is(state.dialog?.choice, 'cancel');
});

test('palette suggestions put exact matches first and know aliases', t => {
	const commands = paletteCommands(true);
	t.deepEqual(suggest(commands, 'build').map(command => command.name), ['build', 'builds']);
	t.is(resolveCommand(commands, 'q', 0)?.name, 'quit');
	t.is(resolveCommand(commands, '', 0), undefined);
	t.deepEqual(suggest(paletteCommands(false), 're').map(command => command.name), ['refresh']);
});

test('panes share the height by need, never more than the body', t => {
	const grid = layoutPanes({columns: 80, height: 21, wanted: {services: 1, builds: 8, addons: 1, jobs: 1}, focus: 'services'});
	const heights = grid.map(row => row[0]!.height);
	t.is(heights.reduce((sum, height) => sum + height, 0), 21);
	t.true(heights[1]! >= 8 + 3, 'all eight builds are visible');
	t.is(grid[2]?.length, 2, 'addons and jobs side by side');
	t.is(grid[2]!.reduce((sum, box) => sum + box.width, 0), 80);
});
