import test from 'ava';
import {createSystemClock} from '../../source/ui/clock.js';

test('the system clock ticks while someone listens, and reads the same between ticks', async t => {
	const clock = createSystemClock(30);
	let ticks = 0;
	const unsubscribe = clock.subscribe(() => {
		ticks++;
	});
	const first = clock.now();
	t.is(clock.now(), first);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	t.true(ticks >= 2);
	t.true(clock.now() > first);
	unsubscribe();
	const stopped = ticks;
	await new Promise(resolve => {
		setTimeout(resolve, 80);
	});
	t.is(ticks, stopped, 'no timer runs without listeners');
});
