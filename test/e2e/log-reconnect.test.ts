import test from 'ava';
import {createProviderLogSource} from '../../source/core/provider-log-source.js';
import type {LogLine, TailState} from '../../source/core/logs.js';
import {lineSequence} from '../../source/sandbox/logs/sequence.js';
import {sandboxWithProvider} from '../helpers/sandbox.js';

const backend = {kind: 'service' as const, id: 'notechondria-backend', name: 'notechondria-backend'};

/** Per container, the sequence numbers must run on by one: a gap is a lost line, a step back a repeat. */
function checkSequences(lines: LogLine[]): {lost: number; repeated: number; checked: number} {
	const last = new Map<string, number>();
	let lost = 0;
	let repeated = 0;
	for (const line of lines) {
		const seq = lineSequence(line.text);
		if (seq === undefined) {
			continue;
		}

		const previous = last.get(line.container);
		if (previous !== undefined) {
			if (seq <= previous) {
				repeated++;
			} else if (seq > previous + 1) {
				lost += seq - previous - 1;
			}
		}

		last.set(line.container, Math.max(seq, previous ?? 0));
	}

	return {lost, repeated, checked: lines.length};
}

test('100 forced disconnects of the live tail: no line lost, none repeated', async t => {
	const {sandbox, provider} = await sandboxWithProvider({logRate: 400});
	t.teardown(async () => sandbox.close());
	const lines: LogLine[] = [];
	let state: TailState | undefined;
	const source = createProviderLogSource(provider, [backend], {initialBackoffMs: 5, maxBackoffMs: 40});
	source.start({
		onLines(batch) {
			lines.push(...batch);
		},
		onState(_target, next) {
			state = next;
		},
	});
	const waitUntilLive = async () => {
		for (let attempt = 0; attempt < 400 && state?.status !== 'live'; attempt++) {
			await new Promise(resolve => {
				setTimeout(resolve, 5);
			});
		}
	};

	await waitUntilLive();
	let drops = 0;
	while (drops < 100) {
		await new Promise(resolve => {
			setTimeout(resolve, 30 + (drops % 5) * 10);
		});
		drops += sandbox.dropWebSockets() > 0 ? 1 : 0;
		await waitUntilLive();
	}

	await new Promise(resolve => {
		setTimeout(resolve, 500);
	});
	source.stop();
	const result = checkSequences(lines);
	t.is(drops, 100);
	t.true(state!.reconnects >= 100, `${state!.reconnects} reconnects`);
	t.true(result.checked > 1000, `${result.checked} lines checked`);
	t.is(result.lost, 0);
	t.is(result.repeated, 0);
	t.true(state!.duplicatesDropped > 0, 'the platform did resend lines, and they were dropped');
});

test('the live tail continues exactly where a range query of the same stream ends', async t => {
	const {sandbox, provider} = await sandboxWithProvider({logRate: 200});
	t.teardown(async () => sandbox.close());
	const since = new Date(Date.now() - 5000);
	const page = await provider.fetchLogs(backend, {since, until: new Date(), limit: 5000, direction: 'forward'});
	t.false(page.hasMore);
	const live: LogLine[] = [];
	const source = createProviderLogSource(provider, [backend], {since});
	source.start({onLines: batch => live.push(...batch), onState() {}});
	await new Promise(resolve => {
		setTimeout(resolve, 1500);
	});
	source.stop();
	const result = checkSequences(live);
	t.is(result.lost + result.repeated, 0);
	const firstLive = live.map(line => lineSequence(line.text)).find(seq => seq !== undefined);
	const firstRange = page.lines.map(line => lineSequence(line.text)).find(seq => seq !== undefined);
	t.is(firstLive, firstRange, 'the tail from `since` starts with the same line the range query does');
});
