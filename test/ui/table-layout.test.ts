import test from 'ava';
import {lineWidth, text} from '../../source/ui/line.js';
import {type Column, fitColumns, rowLine} from '../../source/ui/table-layout.js';
import {fit, truncate} from '../../source/ui/text.js';

type Row = {id: string; name: string; status: string; kind: string; note: string};

const columns: Array<Column<Row>> = [
	{id: 'name', header: 'NAME', priority: 1, minWidth: 8, grow: true, cell: row => text(row.name)},
	{id: 'status', header: 'STATUS', priority: 1, minWidth: 9, cell: row => text(row.status)},
	{id: 'kind', header: 'KIND', priority: 3, minWidth: 6, cell: row => text(row.kind)},
	{id: 'note', header: 'NOTE', priority: 5, minWidth: 6, cell: row => text(row.note)},
];

const rows: Row[] = [{id: '1', name: 'notechondria-backend', status: '● healthy', kind: 'combined', note: 'deployed yesterday'}];

const ids = (fitted: Array<{id: string}>) => fitted.map(column => column.id);

test('everything fits when there is room; columns keep their natural width', t => {
	const fitted = fitColumns(columns, rows, 120);
	t.deepEqual(ids(fitted), ['name', 'status', 'kind', 'note']);
	t.deepEqual(fitted.map(column => column.width), [20, 9, 8, 18]);
});

test('the least important columns go first, so names stay whole', t => {
	t.deepEqual(ids(fitColumns(columns, rows, 45)), ['name', 'status', 'kind']);
	t.deepEqual(ids(fitColumns(columns, rows, 30)), ['name', 'status']);
});

test('when even the essentials do not fit, the name shrinks to its minimum', t => {
	const fitted = fitColumns(columns, rows, 20);
	t.deepEqual(ids(fitted), ['name', 'status']);
	t.is(fitted[0]?.width, 10);
	const line = rowLine(fitted, rows[0]!);
	t.is(lineWidth(line), 20);
	t.is((line[0] as {text: string}).text, 'notechond…');
});

test('a single column never exceeds the width', t => {
	const fitted = fitColumns(columns, rows, 5);
	t.is(fitted.length, 1);
	t.is(fitted[0]?.width, 5);
});

test('truncate and fit measure wide characters as two columns', t => {
	t.is(truncate('notechondria', 6), 'notec…');
	t.is(truncate('短い名前です', 5), '短い…');
	t.is(fit('ab', 4, 'right'), '  ab');
	t.is(fit('abcdef', 4), 'abc…');
});
