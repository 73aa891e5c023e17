import test from 'ava';
import type {LiveState} from '../../source/core/live-state.js';
import {LiveStatus} from '../../source/core/live-status.js';
import {sandboxWithProvider} from '../helpers/sandbox.js';

const quickPlan = {transitionIntervalMs: 100, minIdleIntervalMs: 300, backoffMs: 100, maxBackoffMs: 300};

async function until(live: LiveStatus, predicate: (state: LiveState) => boolean, timeoutMs = 10_000): Promise<LiveState> {
	if (predicate(live.getState())) {
		return live.getState();
	}

	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`condition not met; last state: ${JSON.stringify({...live.getState(), snapshot: live.getState().snapshot?.services})}`));
		}, timeoutMs);
		const unsubscribe = live.subscribe(state => {
			if (predicate(state)) {
				clearTimeout(timer);
				unsubscribe();
				resolve(state);
			}
		});
	});
}

test('builds a full snapshot of the deployment with health derived', async t => {
	const {sandbox, provider} = await sandboxWithProvider();
	const live = new LiveStatus(provider, quickPlan);
	t.teardown(async () => {
		live.stop();
		await sandbox.close();
	});
	t.true(live.getState().loading);
	live.start();
	const state = await until(live, candidate => (candidate.snapshot?.services[0]?.containers.length ?? 0) > 0 && (candidate.snapshot?.jobs[0]?.runs.length ?? 0) > 0 && candidate.snapshot?.addons[0]?.version !== undefined && Object.keys(candidate.snapshot?.builds ?? {}).length > 0);
	const snapshot = state.snapshot!;
	t.is(snapshot.project?.name, 'notechondria');
	t.like(snapshot.services[0], {name: 'notechondria-backend', health: 'healthy', healthPath: '/api/health/'});
	t.is(snapshot.builds['notechondria-backend']?.length, 8);
	t.is(snapshot.addons[0]?.lastBackup?.status, 'completed');
	t.like(snapshot.addons[0], {version: '16', storageMb: 4096});
	t.is(snapshot.jobs[0]?.lastRun?.status, 'success');
	t.false(state.loading);
	t.is(state.staleSince, undefined);
	t.true(state.requests > 0);
	t.is(state.budget.limit, 1000);
});

test('marks the data stale while the API fails, keeps it, and recovers by itself', async t => {
	const {sandbox, provider} = await sandboxWithProvider();
	const live = new LiveStatus(provider, {...quickPlan, minIdleIntervalMs: 100});
	t.teardown(async () => {
		live.stop();
		await sandbox.close();
	});
	live.start();
	await until(live, state => state.snapshot !== undefined);
	sandbox.setChaos('5xx=1');
	live.refreshNow();
	const stale = await until(live, state => state.staleSince !== undefined);
	t.regex(stale.error?.message ?? '', /answered 50\d/);
	t.is(stale.snapshot?.services[0]?.name, 'notechondria-backend', 'the last data stays on screen');

	sandbox.setChaos('off');
	live.refreshNow();
	const recovered = await until(live, state => state.staleSince === undefined);
	t.is(recovered.error, undefined);
	t.true(recovered.updatedAt!.getTime() > stale.staleSince!.getTime());
});

test('follows a build and a rollout quickly, then settles', async t => {
	const {sandbox, provider} = await sandboxWithProvider({timeScale: 100});
	const live = new LiveStatus(provider, quickPlan);
	t.teardown(async () => {
		live.stop();
		await sandbox.close();
	});
	live.start();
	await until(live, state => state.snapshot !== undefined);
	const build = await provider.startBuild('notechondria-backend', {branch: 'main'});
	live.refreshNow();
	await until(live, state => state.transitioning && state.snapshot?.builds['notechondria-backend']?.[0]?.id === build.id);
	await until(live, state => state.snapshot?.builds['notechondria-backend']?.[0]?.status === 'success');
	await provider.deployBuild('notechondria-backend', {buildId: build.id});
	live.refreshNow();
	await until(live, state => state.snapshot?.services[0]?.health === 'deploying');
	const settled = await until(live, state => state.snapshot?.services[0]?.deployedSha === build.sha && state.snapshot?.services[0]?.health === 'healthy' && !state.transitioning);
	t.is(settled.snapshot?.services[0]?.containers.filter(container => container.status === 'running').length, 1);
});

test('an idle deployment is polled within the hourly budget', async t => {
	const {sandbox, provider} = await sandboxWithProvider();
	const live = new LiveStatus(provider);
	t.teardown(async () => {
		live.stop();
		await sandbox.close();
	});
	live.start();
	await until(live, state => state.snapshot !== undefined && (state.snapshot.jobs[0]?.runs.length ?? 0) > 0);
	const cost = live.idleCycleCost();
	await new Promise(resolve => {
		setTimeout(resolve, 300);
	});
	const next = live.getState().nextRefreshAt!.getTime() - Date.now();
	t.true(next >= 14_000, `the next idle refresh waits ${next} ms`);
	const requests = live.getState().requests;
	await new Promise(resolve => {
		setTimeout(resolve, 1000);
	});
	t.is(live.getState().requests, requests, 'nothing is fetched while idle between polls');
	// The overview lists take two thirds of the 540/h idle budget, the details the rest:
	const perHour = (cost.overview * 3600 / Math.max(15, cost.overview * 3600 / 360)) + (cost.detail * 3600 / Math.max(60, cost.detail * 3600 / 180));
	t.true(perHour <= 600, `${perHour} requests per hour`);
});
