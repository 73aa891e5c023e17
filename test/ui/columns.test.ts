import test from 'ava';
import {columnSpan, sliceColumns, wrapRowCount, wrapRows} from '../../source/ui/columns.js';
import {shortLabels} from '../../source/ui/log-rows.js';

test('plain text is cut by columns, saying whether more follows', t => {
	t.deepEqual(columnSpan('abcdefgh', 2, 3), {start: 2, end: 5, more: true, padStart: 0});
	t.deepEqual(columnSpan('abc', 1, 5), {start: 1, end: 3, more: false, padStart: 0});
	t.deepEqual(sliceColumns('abcdefgh', 6, 5), {text: 'gh', more: false});
});

test('wide characters count two columns and are never split', t => {
	t.deepEqual(sliceColumns('漢字ab', 0, 3), {text: '漢', more: true}, 'the second one does not fit in the third column');
	t.deepEqual(sliceColumns('漢字ab', 1, 4), {text: ' 字a', more: true}, 'a character cut by the left edge leaves a blank');
	t.deepEqual(wrapRows('ab漢字', 3), [{from: 0, width: 2}, {from: 2, width: 2}, {from: 4, width: 3}]);
	t.is(wrapRowCount('ab漢字', 3), 3);
	t.is(wrapRowCount('x'.repeat(10), 4), 3);
	t.is(wrapRowCount('', 4), 1);
});

test('colour codes take no room, still apply to a slice, and are closed at its end', t => {
	const red = '\u001B[31m';
	const reset = '\u001B[0m';
	t.deepEqual(sliceColumns(`${red}abcdef${reset}gh`, 2, 3), {text: `${red}cde\u001B[0m`, more: true});
	t.deepEqual(sliceColumns(`ab${red}cd${reset}`, 0, 10), {text: `ab${red}cd${reset}${reset}`, more: false});
});

test('merged sources are named without the part they share', t => {
	t.deepEqual(shortLabels(['notechondria-backend', 'notechondria-worker']), ['backend', 'worker']);
	t.deepEqual(shortLabels(['web', 'web-canary']), ['web', 'web-canary'], 'never cut a name to nothing');
	t.deepEqual(shortLabels(['api', 'worker']), ['api', 'worker']);
	t.deepEqual(shortLabels(['only-one']), ['only-one']);
});
