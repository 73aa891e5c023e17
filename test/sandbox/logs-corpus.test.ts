// The generated lines have everything a log viewer must survive, within an ordinary window.
import test from 'ava';
import {FakeClock, sandboxFor, servicePath} from './helpers.js';
import {assertContiguous, seqOf, streamOf, textOf, type Entry} from './log-helpers.js';

const logs = `${servicePath}/logs`;

async function lastHour(t: Parameters<typeof sandboxFor>[0]): Promise<Entry[]> {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	const entries: Entry[] = [];
	let endTime = new Date(clock.t).toISOString();
	while (entries.length < 10_000) {
		const reply = await api.get(`${logs}?lineLimit=5000&endTime=${endTime}&duration=3600`);
		entries.unshift(...(reply.body.data as Entry[]).toReversed());
		if (!reply.body.pagination.hasNextPage) {
			break;
		}

		endTime = reply.body.pagination.cursor as string;
	}

	return entries;
}

const esc = '\u001B';

// Written here independently of the generator: what a terminal would act on.
const hostile: Record<string, RegExp> = {
	'OSC 52 clipboard write': new RegExp(String.raw`${esc}\]52;c;[A-Za-z\d+/=]+\u0007`),
	'OSC 0 title change': new RegExp(String.raw`${esc}\]0;[^\u0007]*\u0007`),
	'clear screen and home': new RegExp(String.raw`${esc}\[2J${esc}\[H`),
	'cursor up 10': new RegExp(String.raw`${esc}\[10A`),
	'C1 CSI': /\u009B/,
	backspace: /\u0008/,
	bell: /\u0007{2}/,
	'carriage return': /\r/,
};

test('an hour of a service\'s log holds every hostile escape sequence, SGR colour, tracebacks, JSON, long and multi-byte lines', async t => {
	const entries = await lastHour(t);
	t.true(entries.length > 9000, `${entries.length} lines`);
	const texts = entries.map(entry => textOf(entry));
	for (const [kind, pattern] of Object.entries(hostile)) {
		t.true(texts.some(text => pattern.test(text)), `${kind} appears`);
	}

	t.true(texts.some(text => new RegExp(String.raw`${esc}\[(?:\d+;)*\d+m`).test(text)), 'SGR colours');
	t.true(texts.some(text => text.includes(`${esc}[38;5;208m`)) && texts.some(text => text.includes(`${esc}[38;2;`)), '256-colour and true-colour SGR');
	t.true(texts.some(text => /^\d+\.\d+\.\d+\.\d+ - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000] "(GET|POST|PATCH|DELETE) \/\S* HTTP\/1\.1" \d{3} \d+ "[^"]*" "Mozilla\/5\.0[^"]*" seq=\d+$/.test(text)), 'gunicorn access lines');

	const json = texts.filter(text => text.startsWith('{')).map(text => JSON.parse(text) as Record<string, unknown>);
	t.true(json.length > 500);
	t.true(json.every(line => typeof line.level === 'string' && typeof line.logger === 'string' && typeof line.msg === 'string' && typeof line.seq === 'number'));
	t.true(json.some(line => typeof line.duration_ms === 'number'));

	const longest = Math.max(...texts.map(text => Buffer.byteLength(text)));
	t.true(longest > 4000 && longest < 16_384, `longest line ${longest} bytes (several KB, under the runtime's 16 KiB split)`);
	t.true(texts.some(text => /\p{Extended_Pictographic}/u.test(text)), 'emoji');
	t.true(texts.some(text => /\p{Script=Han}/u.test(text)), 'CJK');
	t.true(texts.some(text => /\p{L}\p{M}/u.test(text)), 'combining marks');

	const tracebackStart = entries.findIndex(entry => textOf(entry).startsWith('Traceback (most recent call last):'));
	t.not(tracebackStart, -1);
	const traceback = entries.slice(tracebackStart, tracebackStart + 4);
	t.true(traceback.every(entry => streamOf(entry) === 'stderr'), 'tracebacks go to stderr');
	t.regex(textOf(traceback[1]!), /^ {2}File "/);
	t.notThrows(() => {
		assertContiguous(traceback.map(entry => seqOf(entry)));
	}, 'a traceback\'s lines come in a row');
	t.true(texts.every(text => !text.includes('\n')), 'a line is one line');
});

test('every line carries its container\'s sequence number, consecutive in time order', async t => {
	const entries = await lastHour(t);
	t.notThrows(() => {
		assertContiguous(entries.map(entry => seqOf(entry)));
	});
	const json = entries.find(entry => textOf(entry).startsWith('{'))!;
	t.is((JSON.parse(textOf(json)) as {seq: number}).seq, seqOf(json));
	const plain = entries.find(entry => !textOf(entry).startsWith('{'))!;
	t.regex(textOf(plain), / seq=\d+$/);
});

test('a new container boots gunicorn and Django first, from seq 1', async t => {
	const clock = new FakeClock();
	const api = await sandboxFor(t, {now: clock.now});
	await api.post(`${servicePath}/restart`);
	clock.advance(20_000);
	const lines = (await api.get(`${logs}?direction=forward&duration=20&lineLimit=10000`)).body.data as Entry[];
	const text = lines.map(entry => textOf(entry)).join('\n');
	t.regex(text, /\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0000] \[1] \[INFO] Starting gunicorn 22\.0\.0 seq=1\n/);
	t.regex(text, /\[1] \[INFO] Listening at: http:\/\/0\.0\.0\.0:8000 \(1\)/);
	t.regex(text, /Booting worker with pid: 7/);
	t.regex(text, /"logger":"notechondria\.settings","msg":"settings loaded"/);
});
