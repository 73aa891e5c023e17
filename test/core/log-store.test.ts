import test from 'ava';
import {detectTextLevel, entryPlainText, entryText, renderJsonRecord} from '../../source/core/log-entry.js';
import {compilePattern, LogIndex, LogQuery} from '../../source/core/log-index.js';
import {LogStore, mergeHistoryPages} from '../../source/core/log-store.js';
import type {LogTarget} from '../../source/core/logs.js';
import {createFakeLogSource, liveState, logLine, numberedLines} from '../helpers/fake-log-source.js';

const backend: LogTarget = {kind: 'service', id: 'notechondria-backend', name: 'notechondria-backend'};
const worker: LogTarget = {kind: 'service', id: 'notechondria-worker', name: 'notechondria-worker'};

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

function storeOf(options: {capacity?: number; frameMs?: number; history?: Parameters<typeof createFakeLogSource>[1]; targets?: LogTarget[]} = {}) {
	const source = createFakeLogSource(options.targets ?? [backend], options.history);
	const store = new LogStore(source, {capacity: options.capacity, frameMs: options.frameMs ?? 10, historyPageSize: 5});
	store.start();
	return {source, store};
}

const texts = (store: LogStore): string[] => Array.from({length: store.length}, (_, index) => store.entry(store.firstSeq + index)?.text ?? '?');

// Every control sequence a hostile or broken app can print, and what must be left of it.
const hostile: Array<[string, string, string]> = [
	['OSC 52 clipboard write', 'before\u001B]52;c;cm0gLXJmIH4=\u0007after', 'beforeafter'],
	['OSC 52 ended by ST', 'a\u001B]52;c;cm0gLXJmIH4=\u001B\\b', 'ab'],
	['window title', '\u001B]0;owned\u0007title', 'title'],
	['cursor moves', 'x\u001B[2J\u001B[H\u001B[10;10Hy\u001B[3A', 'xy'],
	['screen and line clears', 'a\u001B[K\u001B[1Jb', 'ab'],
	['8-bit C1 CSI', 'a\u009B2Jb', 'ab'],
	['bell, backspace, carriage return', 'a\u0007b\u0008c\rd', 'abcd'],
	['alternate screen switch', '\u001B[?1049hx', 'x'],
];

for (const [what, raw, expected] of hostile) {
	test(`ingest neutralises ${what}`, t => {
		const {source, store} = storeOf();
		source.emit([logLine(raw)]);
		const entry = store.entry(store.firstSeq);
		t.is(entry?.text, expected);
		t.false(/[\u0000-\u001F\u007F-\u009F]/.test(entry?.text ?? ''), 'no control character is left');
	});
}

test('ingest keeps SGR colour and offers the text without it for search and saving', t => {
	const {source, store} = storeOf();
	source.emit([logLine('\u001B[31mERROR\u001B[0m disk \u001B[1;33mfull\u001B[0m\u001B]52;c;eA==\u0007')]);
	const entry = store.entry(store.firstSeq)!;
	t.is(entry.text, '\u001B[31mERROR\u001B[0m disk \u001B[1;33mfull\u001B[0m');
	t.is(entry.plain, 'ERROR disk full');
	t.is(entryPlainText(entry, false), 'ERROR disk full');
	t.is(entry.level, 'error');
});

test('tabs become spaces so widths stay predictable', t => {
	const {source, store} = storeOf();
	source.emit([logLine('a\tb')]);
	t.is(store.entry(store.firstSeq)?.text, 'a       b');
});

test('levels come from JSON fields, level words, tracebacks and access-log status codes', t => {
	t.is(detectTextLevel('[2026-11-22 03:12:40 +0000] [7] [INFO] Booting worker with pid: 7'), 'info');
	t.is(detectTextLevel('ERROR 2026-11-22 django.request Internal Server Error: /api/notes/'), 'error');
	t.is(detectTextLevel('WARNING:root:disk almost full'), 'warn');
	t.is(detectTextLevel('Traceback (most recent call last):'), 'error');
	t.is(detectTextLevel('ValueError: invalid literal for int()'), 'error');
	t.is(detectTextLevel('10.0.0.1 - - [22/Nov/2026:03:12:40 +0000] "GET /api/notes/ HTTP/1.1" 502 17 "-" "curl"'), 'error');
	t.is(detectTextLevel('10.0.0.1 - - [22/Nov/2026:03:12:40 +0000] "POST /api/token/ HTTP/1.1" 401 17 "-" "curl"'), 'warn');
	t.is(detectTextLevel('10.0.0.1 - - [22/Nov/2026:03:12:40 +0000] "GET /api/health/ HTTP/1.1" 200 17 "-" "kube-probe"'), 'info');
	t.is(detectTextLevel('time=03:12 level=debug msg="cache warm"'), 'debug');
	t.is(detectTextLevel('DEBUG planner.tasks queued 3'), 'debug');
	t.is(detectTextLevel('Saved note 12; 0 errors'), undefined, 'a lower-case word in a message is not a level');
	t.is(detectTextLevel('[INFO] retried after ERROR'), 'info', 'the first level word wins');

	const {source, store} = storeOf();
	source.emit([
		logLine('{"level":"warning","msg":"slow"}'),
		logLine('{"severity":"ERROR","message":"boom"}'),
		logLine('{"level":50,"msg":"pino error"}'),
		logLine('Traceback (most recent call last):'),
		logLine('  File "/app/notes/views.py", line 12, in save'),
		logLine('KeyError: \'title\''),
		logLine('INFO back to normal'),
		logLine('  indented after an info line'),
	]);
	t.deepEqual(Array.from({length: store.length}, (_, index) => store.entry(store.firstSeq + index)?.level), ['warn', 'error', 'error', 'error', 'error', 'error', 'info', undefined]);
});

test('JSON lines are parsed once into a readable line; the raw text stays for the raw toggle', t => {
	const raw = '{"time":"2026-11-22T03:12:40Z","level":"info","logger":"notes.views","msg":"Saved note","duration_ms":12,"user":{"id":3},"path":"/api/notes/"}';
	const {source, store} = storeOf();
	source.emit([logLine(raw)]);
	const entry = store.entry(store.firstSeq)!;
	t.is(entry.text, 'INFO  notes.views  Saved note  duration_ms=12 user={"id":3} path=/api/notes/');
	t.is(entry.raw, raw);
	t.is(entryText(entry, true), raw);
	t.is(entryText(entry, false), entry.text);
	t.is(entry.level, 'info');
});

test('JSON rendering quotes values with spaces, keeps a message on one line, and is sanitised', t => {
	t.is(renderJsonRecord({msg: 'line one\nline two', note: 'two words', empty: ''}).text, 'line one ⏎ line two  note="two words" empty=""');
	const {source, store} = storeOf();
	source.emit([logLine(String.raw`{"msg":"pwn \u001b]52;c;eA==\u0007 done","x":"\u001b[2J"}`)]);
	t.is(store.entry(store.firstSeq)?.text, 'pwn  done  x=');
	t.is(renderJsonRecord({a: 1}).text, 'a=1', 'no level, logger or message: just the fields');
});

test('lines that only look like JSON are kept as text', t => {
	const {source, store} = storeOf();
	source.emit([logLine('{not json}'), logLine('[1, 2]')]);
	t.deepEqual(texts(store), ['{not json}', '[1, 2]']);
	t.is(store.entry(store.firstSeq)?.raw, undefined);
});

test('the ring keeps the newest lines, counts the dropped ones, and sequence numbers stay put', t => {
	const {source, store} = storeOf({capacity: 5});
	source.emit(numberedLines(3));
	t.is(store.firstSeq, 0);
	source.emit(numberedLines(4, {from: 3}));
	t.is(store.length, 5);
	t.is(store.dropped, 2);
	t.is(store.received, 7);
	t.is(store.firstSeq, 2);
	t.is(store.endSeq, 7);
	t.is(store.entry(2)?.text, 'line 2');
	t.is(store.entry(6)?.text, 'line 6');
	t.is(store.entry(1), undefined, 'a dropped line is gone');
});

test('subscribers hear of a flood once per frame tick, not once per line', async t => {
	const {source, store} = storeOf({frameMs: 40});
	let notifications = 0;
	store.subscribe(() => {
		notifications++;
	});
	const version = store.getVersion();
	for (let batch = 0; batch < 100; batch++) {
		source.emit(numberedLines(10, {from: batch * 10}));
	}

	source.state({status: 'live'});
	t.is(notifications, 0, 'nothing synchronous');
	await sleep(80);
	t.is(notifications, 1);
	t.is(store.getVersion(), version + 1);
	t.is(store.length, 1000);
	await sleep(60);
	t.is(notifications, 1, 'no tick when nothing changed');
});

test('while lines flood in, the tick slows down; it speeds up again when they calm down', async t => {
	const source = createFakeLogSource([backend]);
	const store = new LogStore(source, {frameMs: 20, floodFrameMs: 150, floodLinesPerTick: 10});
	store.start();
	const ticks: number[] = [];
	store.subscribe(() => {
		ticks.push(performance.now());
	});
	// Waits that only end early: a loaded machine makes timers late, never early.
	const until = async (count: number) => {
		const deadline = performance.now() + 10_000;
		while (ticks.length < count && performance.now() < deadline) {
			await sleep(5);
		}
	};

	source.emit(numberedLines(50));
	await until(1);
	t.is(ticks.length, 1);
	const flooded = performance.now();
	source.emit(numberedLines(50, {from: 50}));
	await sleep(80);
	t.is(ticks.length, 1, 'no tick yet: a flood is drawn less often');
	await until(2);
	t.is(ticks.length, 2);
	t.true((ticks[1] ?? 0) - flooded >= 140);
	source.emit(numberedLines(1, {from: 100}));
	await until(3);
	await sleep(200);
	source.emit(numberedLines(1, {from: 101}));
	const calm = performance.now();
	await until(4);
	t.is(ticks.length, 4);
	t.true((ticks[3] ?? 0) - calm < 140, 'a trickle is drawn at the normal tick, well before a flood tick');
	store.stop();
});

test('stream health is kept per target, for lines and states of merged views', t => {
	const {source, store} = storeOf({targets: [backend, worker]});
	source.state({status: 'reconnecting', reconnects: 3}, worker);
	source.state({status: 'live', longestGapSeconds: 4}, backend);
	source.emit([logLine('from the worker', {source: 'notechondria-worker'}), logLine('from the backend')]);
	t.deepEqual(store.sources.map(stream => [stream.label, stream.state?.status]), [['notechondria-backend', 'live'], ['notechondria-worker', 'reconnecting']]);
	t.is(store.sources[1]?.state?.reconnects, 3);
	t.is(store.sources[0]?.state?.longestGapSeconds, 4);
	t.deepEqual([store.entry(0)?.source, store.entry(1)?.source], [1, 0]);
});

test('stop stops the session and the ticks', async t => {
	const {source, store} = storeOf();
	t.true(source.started);
	store.stop();
	t.true(source.stopped);
	let notified = false;
	store.subscribe(() => {
		notified = true;
	});
	await sleep(30);
	t.false(notified);
});

test('loadOlder pages history in above the oldest line, page by page, to the start', async t => {
	const history = {[backend.name]: numberedLines(12, {from: -12, text: index => `old ${index}`})};
	const {source, store} = storeOf({history});
	source.emit(numberedLines(3));
	t.deepEqual(await store.loadOlder(), {kind: 'loaded', added: 5, full: false});
	t.deepEqual(source.fetches.map(fetch => [fetch.target.name, fetch.before.getTime() - logLine('', {at: 0}).timestamp, fetch.limit]), [[backend.name, 0, 5]]);
	t.deepEqual(texts(store), ['old -5', 'old -4', 'old -3', 'old -2', 'old -1', 'line 0', 'line 1', 'line 2']);
	t.is(store.firstSeq, -5, 'older lines get lower sequence numbers; the others keep theirs');
	t.is(store.entry(0)?.text, 'line 0');
	await store.loadOlder();
	t.deepEqual(await store.loadOlder(), {kind: 'loaded', added: 2, full: false});
	t.is(store.entry(store.firstSeq)?.text, 'old -12');
	t.deepEqual(await store.loadOlder(), {kind: 'exhausted'});
	t.true(store.history.exhausted);
	t.is(store.history.loaded, 12);
	t.is(store.received, 3, 'history is not counted as received');
});

test('loadOlder stops at a full buffer and says so', async t => {
	const history = {[backend.name]: numberedLines(20, {from: -20})};
	const {source, store} = storeOf({capacity: 6, history});
	source.emit(numberedLines(3));
	t.deepEqual(await store.loadOlder(), {kind: 'loaded', added: 3, full: true});
	t.is(store.length, 6);
	t.true(store.history.full);
	t.deepEqual(await store.loadOlder(), {kind: 'full'});
	t.is(source.fetches.length, 1, 'a full buffer does not even ask');
});

test('a failing history page is reported, not thrown', async t => {
	const {source, store} = storeOf();
	source.fetchOlder = async () => {
		throw new Error('429 Too Many Requests');
	};

	t.deepEqual(await store.loadOlder(), {kind: 'failed', error: '429 Too Many Requests'});
	t.is(store.history.error, '429 Too Many Requests');
	t.false(store.history.loading);
});

test('merged history is ordered by time and cut where a target has more to give', t => {
	const at = (ms: number, source: string) => logLine(`${source} ${ms}`, {at: ms, source});
	const merged = mergeHistoryPages([
		{lines: [at(50, 'a'), at(60, 'a')], hasMore: true},
		{lines: [at(10, 'b'), at(55, 'b'), at(70, 'b')], hasMore: false},
	]);
	t.deepEqual(merged.map(line => line.text), ['a 50', 'b 55', 'a 60', 'b 70'], 'b 10 waits: a may have lines between 10 and 50');
});

test('an index follows the store: new lines scanned once, dropped ones forgotten, history added', async t => {
	const history = {[backend.name]: [logLine('old error', {at: -5}), logLine('old info', {at: -4})]};
	const {source, store} = storeOf({capacity: 10, history});
	const index = new LogIndex(store, entry => entry.text.includes('error'));
	source.emit(numberedLines(6, {text: i => (i % 2 === 0 ? `error ${i}` : `info ${i}`)}));
	index.sync();
	t.is(index.count, 3);
	t.deepEqual([index.seqAt(0), index.seqAt(1), index.seqAt(2)], [0, 2, 4]);
	t.is(index.positionOf(3), 2);
	t.is(index.positionOf(99), 3);
	await store.loadOlder();
	index.sync();
	t.deepEqual([index.seqAt(0), index.count], [-2, 4]);
	source.emit(numberedLines(8, {from: 6, text: i => (i % 2 === 0 ? `error ${i}` : `info ${i}`)}));
	index.sync();
	t.is(store.firstSeq, 4);
	t.deepEqual(Array.from({length: index.count}, (_, position) => index.seqAt(position)), [4, 6, 8, 10, 12]);
	source.emit(numberedLines(30, {from: 100, text: () => 'quiet'}));
	index.sync();
	t.is(index.count, 0, 'everything it had was dropped');
});

test('a query filters with include and exclude, searches within what is listed, and smart-cases', t => {
	const {source, store} = storeOf();
	source.emit([logLine('GET /api/notes 200'), logLine('GET /api/health 200'), logLine('POST /api/notes 500'), logLine('{"msg":"Notes saved"}')]);
	const query = new LogQuery(store, {include: 'notes', exclude: 'POST', search: '200', raw: false});
	query.sync();
	t.true(query.filtered);
	t.is(query.list.count, 2, 'notes, case-insensitive, without POST');
	t.is(query.matches?.count, 1);
	query.configure({include: 'Notes', raw: false});
	query.sync();
	t.is(query.list.count, 1, 'an upper-case letter makes it case-sensitive');
	query.configure({include: 'msg', raw: true});
	query.sync();
	t.is(query.list.count, 1, 'raw JSON is matched as sent');
	query.configure({raw: false});
	t.false(query.filtered);
	t.is(query.list.count, 4);
});

test('a bad regular expression is a message, not an exception', t => {
	const result = compilePattern('(unclosed');
	t.true('error' in result);
	t.regex('error' in result ? result.error : '', /Unterminated group/);
	t.true('pattern' in compilePattern(String.raw`\d+ ms \- done`), 'habitual escapes are accepted');
});

test('the store stays bounded over a million lines', t => {
	const {source, store} = storeOf({capacity: 1000});
	for (let batch = 0; batch < 1000; batch++) {
		source.emit(numberedLines(1000, {from: batch * 1000}));
	}

	t.is(store.length, 1000);
	t.is(store.dropped, 999_000);
	t.is(store.received, 1_000_000);
	t.is(store.entry(store.endSeq - 1)?.text, 'line 999999');
	store.stop();
	t.pass(`${liveState.status}`);
});
