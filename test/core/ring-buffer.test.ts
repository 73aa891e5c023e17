import test from 'ava';
import {RingBuffer} from '../../source/core/ring-buffer.js';

test('keeps the newest items and counts the ones it dropped from the top', t => {
	const buffer = new RingBuffer<number>(3);
	buffer.pushAll([1, 2, 3, 4, 5]);
	t.deepEqual(buffer.slice(), [3, 4, 5]);
	t.is(buffer.evicted, 2);
	t.is(buffer.pushed, 5);
	t.is(buffer.at(0), 3);
	t.is(buffer.at(3), undefined);
});

test('prepends older history only where there is room', t => {
	const buffer = new RingBuffer<number>(5);
	buffer.pushAll([10, 11]);
	t.is(buffer.prepend([7, 8, 9]), 3);
	t.deepEqual(buffer.slice(), [7, 8, 9, 10, 11]);
	t.is(buffer.prepend([5, 6]), 0, 'full: nothing more is taken');
	const roomy = new RingBuffer<number>(4);
	roomy.push(10);
	t.is(roomy.prepend([6, 7, 8, 9]), 3, 'the newest of the older items are kept');
	t.deepEqual(roomy.slice(), [7, 8, 9, 10]);
});

test('holds its size over a million pushes', t => {
	const buffer = new RingBuffer<{n: number}>(1000);
	for (let n = 0; n < 1_000_000; n++) {
		buffer.push({n});
	}

	t.is(buffer.length, 1000);
	t.is(buffer.at(0)?.n, 999_000);
	t.is(buffer.evicted, 999_000);
});

test('a capacity below 1 is refused', t => {
	t.throws(() => new RingBuffer(0), {instanceOf: RangeError});
});
