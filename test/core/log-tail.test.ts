import test from 'ava';
import {compareCursors, LogTail, type TailOpener} from '../../source/core/log-tail.js';
import type {LogLine, RawTailHandlers, TailState} from '../../source/core/logs.js';

const line = (second: number, text: string, nanos = 0): LogLine => {
	const cursor = `2026-11-22T03:00:${String(second).padStart(2, '0')}.${String(nanos).padStart(9, '0')}Z`;
	return {source: 'web', container: 'web-1', timestamp: Date.parse(cursor), cursor, text};
};

/** A scripted platform: each connection gets the lines at or after its cursor, like Northflank's startTime. */
function scriptedPlatform(history: LogLine[]) {
	const connections: Array<{from: {cursor?: string; since?: Date}; handlers: RawTailHandlers; closed: boolean}> = [];
	const open: TailOpener = (from, handlers) => {
		const connection = {from, handlers, closed: false};
		connections.push(connection);
		queueMicrotask(() => {
			handlers.onOpen();
			handlers.onLines(history.filter(candidate => from.cursor === undefined || compareCursors(candidate.cursor, from.cursor) >= 0));
		});
		return {
			close() {
				connection.closed = true;
			},
		};
	};

	return {open, connections};
}

const tick = async (ms = 5) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

test('cursors order by time with any number of fractional digits', t => {
	t.is(compareCursors('2026-11-22T03:00:01.5Z', '2026-11-22T03:00:01.500000000Z'), 0);
	t.is(compareCursors('2026-11-22T03:00:01.000000001Z', '2026-11-22T03:00:01Z'), 1);
	t.is(compareCursors('2026-11-22T03:00:00.999999999Z', '2026-11-22T03:00:01Z'), -1);
});

test('after a drop it resumes from the last line and shows nothing twice, even lines sharing a timestamp', async t => {
	const history = [line(1, 'a'), line(2, 'b'), line(2, 'b'), line(2, 'c')];
	const platform = scriptedPlatform(history);
	const received: string[] = [];
	const states: TailState[] = [];
	const tail = new LogTail(platform.open, {onLines: lines => received.push(...lines.map(item => item.text)), onState: state => states.push(state), initialBackoffMs: 1});
	tail.start();
	await tick();
	t.deepEqual(received, ['a', 'b', 'b', 'c']);

	history.push(line(2, 'b'), line(3, 'd'));
	platform.connections.at(-1)!.handlers.onClose(new Error('socket dropped'));
	t.is(tail.getState().status, 'reconnecting');
	await tick(30);
	t.is(platform.connections.at(-1)!.from.cursor, line(2, '').cursor, 'resumed from the last timestamp seen');
	t.deepEqual(received, ['a', 'b', 'b', 'c', 'b', 'd'], 'the third "b" at the same instant is new; the resent ones are not');
	t.like(tail.getState(), {status: 'live', reconnects: 1, duplicatesDropped: 3});
	t.true(states.some(state => state.status === 'reconnecting' && state.error === 'socket dropped'));

	// A second drop before anything newer arrives must not let the old lines through again.
	platform.connections.at(-1)!.handlers.onClose(new Error('again'));
	await tick(30);
	t.deepEqual(received, ['a', 'b', 'b', 'c', 'b', 'd']);
	tail.stop();
	t.is(tail.getState().status, 'stopped');
});

test('a fatal error stops retrying and says why', async t => {
	const platform = scriptedPlatform([]);
	const tail = new LogTail(platform.open, {onLines() {}, isFatal: error => error.message.includes('token'), initialBackoffMs: 1});
	tail.start();
	await tick();
	platform.connections[0]!.handlers.onClose(new Error('bad token'));
	await tick(20);
	t.like(tail.getState(), {status: 'failed', error: 'bad token'});
	t.is(platform.connections.length, 1);
});

test('lines from a connection that was replaced are ignored', async t => {
	const platform = scriptedPlatform([line(1, 'a')]);
	const received: string[] = [];
	const tail = new LogTail(platform.open, {onLines: lines => received.push(...lines.map(item => item.text)), initialBackoffMs: 1});
	tail.start();
	await tick();
	const old = platform.connections[0]!;
	old.handlers.onClose(new Error('drop'));
	await tick(20);
	old.handlers.onLines([line(9, 'late')]);
	t.false(received.includes('late'));
	tail.stop();
});
