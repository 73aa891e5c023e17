// A container's log as a function of time, checked directly: any window read forwards or backwards
// is the same slice of one contiguous history, across phases and rate changes.
import test from 'ava';
import {ContainerLog, type Phase} from '../../source/sandbox/logs/container-log.js';
import {compareLogTimes, formatLogTime, parseLogTime} from '../../source/sandbox/logs/log-time.js';
import {lineSequence, withSequence} from '../../source/sandbox/logs/sequence.js';

const start = Date.UTC(2026, 10, 22, 3, 0, 0);
const render: Phase['render'] = line => ({text: `line ${line.seqInPhase}`, stream: 'stdout'});

function sampleLog(): ContainerLog {
	return new ContainerLog({
		id: 'web-1',
		type: 'runtime',
		seed: 42,
		end: start + 100_500,
		phases: [
			{from: start, lines: {kind: 'script', count: 10, plannedTo: start + 8000}, render},
			{from: start + 8000, lines: {kind: 'flow', factor: 1}, render},
			{from: start + 60_250, lines: {kind: 'script', count: 5, plannedTo: start + 60_700}, render},
			{from: start + 60_700, lines: {kind: 'flow', factor: 1}, render},
		],
	}, [{from: 0, linesPerSecond: 3}, {from: start + 30_000, linesPerSecond: 400}, {from: start + 40_000, linesPerSecond: 3}]);
}

const everything = {from: {ms: 0, ns: 0}, to: {ms: start + 200_000, ns: 0}};

test('the whole history: seq from 1, consecutive, strictly increasing times, within the container\'s life', t => {
	const log = sampleLog();
	const all = [...log.forward(everything.from, everything.to)];
	t.true(all.length > 4000);
	t.true(all.every((record, index) => record.seq === index + 1), 'seq runs 1, 2, 3, ...');
	t.true(all.every((record, index) => index === 0 || compareLogTimes(all[index - 1]!.time, record.time) < 0), 'times strictly increase');

	t.true(all[0]!.time.ms >= start);
	t.true(all.at(-1)!.time.ms < start + 100_500);
	t.deepEqual(all.slice(0, 10).map(record => record.text), Array.from({length: 10}, (_, index) => `line ${index + 1} seq=${index + 1}`));
	const shortScript = all.filter(record => record.time.ms >= start + 60_250 && record.time.ms < start + 60_700);
	t.deepEqual(shortScript.map(record => record.text.replace(/ seq=\d+$/, '')), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5'], 'a script shorter than a second still fits');
	t.is(JSON.stringify([...log.backward(everything.from, everything.to)].toReversed()), JSON.stringify(all));
});

test('any window, forwards or backwards, is exactly the matching slice of the history', t => {
	const log = sampleLog();
	const all = [...log.forward(everything.from, everything.to)];
	for (let trial = 0; trial < 300; trial++) {
		const a = all[(trial * 7919) % all.length]!.time;
		const b = all[(trial * 104_729) % all.length]!.time;
		const [from, to] = compareLogTimes(a, b) <= 0 ? [a, b] : [b, a];
		const expected = JSON.stringify(all.filter(record => compareLogTimes(record.time, from) >= 0 && compareLogTimes(record.time, to) < 0));
		t.is(JSON.stringify([...log.forward(from, to)]), expected);
		t.is(JSON.stringify([...log.backward(from, to)].toReversed()), expected);
	}
});

test('times format and parse with nine fractional digits', t => {
	const time = {ms: Date.UTC(2026, 10, 22, 3, 12, 40, 123), ns: 456_789};
	t.is(formatLogTime(time), '2026-11-22T03:12:40.123456789Z');
	t.deepEqual(parseLogTime('2026-11-22T03:12:40.123456789Z'), time);
	t.deepEqual(parseLogTime('2026-11-22T04:12:40.123456789+01:00'), time);
	t.deepEqual(parseLogTime('2026-11-22T03:12:40.123Z'), {ms: time.ms, ns: 0});
	t.deepEqual(parseLogTime('2026-11-22T03:12:40Z'), {ms: time.ms - 123, ns: 0});
	t.is(parseLogTime('yesterday'), undefined);
});

test('the sequence marker: a last JSON field, or a trailing seq=N', t => {
	t.is(withSequence('{"msg":"hi"}', 7), '{"msg":"hi","seq":7}');
	t.is(withSequence('GET / 200', 8), 'GET / 200 seq=8');
	t.is(lineSequence('2026-11-22T03:12:40.123456789Z stdout F {"msg":"seq=3","seq":12}'), 12);
	t.is(lineSequence('x seq=5 y seq=9'), 9);
	t.is(lineSequence('no marker'), undefined);
});
