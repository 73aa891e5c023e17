import test from 'ava';
import {formatAge, formatBytes, formatDuration, shortSha} from '../../source/core/format.js';

test('ages use the largest whole unit', t => {
	t.is(formatAge(12_000), '12s');
	t.is(formatAge(59_999), '59s');
	t.is(formatAge(5 * 60_000), '5m');
	t.is(formatAge(3 * 3_600_000), '3h');
	t.is(formatAge(2 * 86_400_000), '2d');
	t.is(formatAge(-500), '0s', 'clock skew never shows a negative age');
});

test('durations keep two units', t => {
	t.is(formatDuration(45_000), '45s');
	t.is(formatDuration((3 * 60_000) + 12_000), '3m12s');
	t.is(formatDuration(3_600_000 + (4 * 60_000)), '1h04m');
	t.is(formatDuration((2 * 86_400_000) + (3 * 3_600_000)), '2d03h');
});

test('shas are cut to 7 characters; sizes are human', t => {
	t.is(shortSha('88c0ffee7aaaaaaa'), '88c0ffe');
	t.is(shortSha(undefined), '—');
	t.is(formatBytes(512), '512 B');
	t.is(formatBytes(18_400_000), '18 MB');
	t.is(formatBytes(1536), '1.5 KB');
});
