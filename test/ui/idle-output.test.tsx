import test from 'ava';
import {App} from '../../source/ui/app.js';
import {createFakeLiveSource} from '../helpers/fake-live-source.js';
import {renderApp, sandboxContext} from '../helpers/render-app.js';
import {renderHarness} from '../helpers/render-harness.js';
import {seedLiveState} from '../helpers/seed-snapshot.js';

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

for (const [columns, rows, budget] of [[120, 40, 250], [200, 60, 500]] as const) {
	// Each tick rewrites the changed label and Ink walks the cursor back to the bottom (3 bytes a row).
	test(`an idle ${columns}×${rows} dashboard writes only the changed time labels: ≤ ${budget} bytes a second`, async t => {
		const {harness, clock} = await renderApp({columns, rows});
		const before = harness.bytesWritten;
		for (let second = 0; second < 10; second++) {
			clock.advance(1000);
			await harness.settle();
		}

		const perSecond = (harness.bytesWritten - before) / 10;
		t.true(perSecond > 0, 'the clock does tick');
		t.true(perSecond <= budget, `${perSecond} bytes a second`);
		t.regex(harness.lines()[0] ?? '', /updated 14s ago/);
		await harness.unmount();
	});
}

test('a refresh that changes nothing visible writes nothing', async t => {
	const {harness, source} = await renderApp();
	const before = harness.bytesWritten;
	source.update({...seedLiveState(), requests: 38});
	await harness.settle();
	t.is(harness.bytesWritten - before, 0);
	await harness.unmount();
});

test('with the real clock, an idle 120×40 dashboard stays within the SSH budget', async t => {
	const source = createFakeLiveSource({...seedLiveState(Date.now()), updatedAt: new Date()});
	const harness = renderHarness(<App source={source} context={sandboxContext}/>, {columns: 120, rows: 40});
	await harness.settle();
	const before = harness.bytesWritten;
	await sleep(3000);
	await harness.settle();
	const perSecond = (harness.bytesWritten - before) / 3;
	t.true(perSecond <= 500, `${perSecond} bytes a second`);
	await harness.unmount();
});
