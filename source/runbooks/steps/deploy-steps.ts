// Deploy a build to the service and wait until its containers run; then gate on the health path.
import {classifyStepError, StepFailedError} from '../step-failure.js';
import type {DeploymentTarget} from '../target.js';
import type {Journal, StepContext, StepDefinition} from '../types.js';
import {sleep, waitUntil} from '../wait.js';
import {shortBuild} from './facts.js';
import {equivalents} from '../equivalents.js';

export type DeployStepOptions = {
	id: string;
	title: string;
	/** Which recorded build to deploy. */
	build(journal: Readonly<Journal>): {buildId: string; sha?: string} | undefined;
	note?: string;
};

/** The service runs the build: the same id, or — where a redeploy gets an id of its own (Render) — the same commit. */
function runs(deployment: {buildId?: string; sha?: string}, build: {buildId: string; sha?: string}): boolean {
	return deployment.buildId === build.buildId || (build.sha !== undefined && deployment.sha === build.sha);
}

export function deployStep(target: DeploymentTarget, options: DeployStepOptions): StepDefinition {
	const {id} = options;
	const wanted = (journal: Readonly<Journal>) => {
		const build = options.build(journal);
		if (!build?.buildId) {
			throw new StepFailedError(id, 'failed', 'The journal does not say which build to deploy.');
		}

		return build;
	};

	return {
		id,
		title: options.title,
		impact: 'mutate',
		preview: journal => ({
			summary: `Deploy ${options.build(journal) ? `build ${shortBuild(options.build(journal), '')}` : 'the recorded build'} to ${target.service.name} and wait for COMPLETED with running containers`,
			details: [options.note ?? 'The old containers keep serving until the new ones are ready.'],
			equivalent: equivalents.deploy(target, options.build(journal)?.buildId),
		}),
		async reconcile(context) {
			const build = wanted(context.journal);
			const deployment = await context.provider.getDeployment(target.service.id);
			if (!runs(deployment, build)) {
				return {state: 'not-started', note: `service still set to ${deployment.buildId ?? 'nothing'}`};
			}

			const service = await context.provider.getService(target.service.id);
			return service.deployment.status === 'in-progress' || service.deployment.status === 'pending' ? {state: 'in-flight', note: 'deployment in progress'} : {state: 'done', note: `service set to ${build.buildId}`};
		},
		async action(context) {
			const build = wanted(context.journal);
			await context.provider.deployBuild(target.service.id, {buildId: build.buildId, sourceServiceId: target.service.id});
			await context.handle('buildId', build.buildId);
			await context.record({deployment: {buildId: build.buildId, requestedAt: new Date().toISOString()}});
			context.log(`deployment of ${build.buildId} requested`);
		},
		async wait(context) {
			await sleep(1000, context.signal);
			let lastStatus = '';
			await waitUntil(async () => {
				const service = await context.provider.getService(target.service.id);
				const containers = await context.provider.listContainers(target.service.id);
				const summary = `${service.deployment.rawStatus}; containers: ${containers.map(container => container.rawStatus).join(', ') || 'none'}`;
				if (summary !== lastStatus) {
					context.log(summary);
					lastStatus = summary;
				}

				if (service.deployment.status === 'failed') {
					return 'failed';
				}

				return service.deployment.status === 'completed' && containers.some(container => container.status === 'running') && !containers.some(container => container.status === 'starting') ? 'completed' : undefined;
			}, {what: `the deployment of ${target.service.name}`, intervalMs: 2000, timeoutMs: 15 * 60 * 1000, signal: context.signal});
		},
		async verify(context) {
			const build = wanted(context.journal);
			const [service, deployment, containers] = await Promise.all([
				context.provider.getService(target.service.id),
				context.provider.getDeployment(target.service.id),
				context.provider.listContainers(target.service.id),
			]);
			if (!runs(deployment, build)) {
				throw new StepFailedError(id, 'unknown', `${target.service.name} is set to build ${deployment.buildId ?? 'nothing'}, not ${build.buildId}: someone else deployed meanwhile.`);
			}

			if (service.deployment.status !== 'completed' || !containers.some(container => container.status === 'running')) {
				throw new StepFailedError(id, 'failed', `The deployment of ${build.buildId} ended ${service.deployment.rawStatus} without running containers.`, containers.map(container => `${container.name}: ${container.rawStatus}`));
			}

			return {ok: true, message: `${target.service.name} runs ${build.buildId} (${containers.filter(container => container.status === 'running').length} running)`};
		},
		classify: classifyStepError(id),
		onFailure: () => [
			{id: 'rollback-app', label: 'Roll the app back to the previous build', explanation: 'Redeploys the recorded build; does not touch the database.'},
			{id: 'retry', label: 'Deploy again'},
			{id: 'stop', label: 'Stop here'},
		],
	};
}

export type HealthGateOptions = {timeoutMs?: number; passesNeeded?: number; intervalMs?: number};

export function healthStep(target: DeploymentTarget, options: HealthGateOptions = {}): StepDefinition {
	const id = 'health';
	const timeoutMs = options.timeoutMs ?? 90_000;
	const passesNeeded = options.passesNeeded ?? 3;
	const intervalMs = options.intervalMs ?? 2000;
	return {
		id,
		title: `Check ${target.healthPath} answers 200`,
		impact: 'read',
		preview: () => ({
			summary: `GET ${target.healthPath} on ${target.service.name} until it answers 200 ${passesNeeded} times in a row, for up to ${Math.round(timeoutMs / 1000)} s`,
			details: ['A failing gate offers to roll the app back to the previous build.'],
			equivalent: `curl -fsS https://<service dns>${target.healthPath}`,
		}),
		async reconcile(context) {
			return context.journal.facts.health?.result === 'pass' ? {state: 'done'} : {state: 'not-started'};
		},
		async action(context) {
			const checks: Array<{at: string; status?: number; ms: number}> = [];
			const deadline = Date.now() + timeoutMs;
			let passes = 0;
			let url = '';
			while (passes < passesNeeded && Date.now() < deadline) {
				const probe = await context.provider.probeHealth(target.service.id, target.healthPath, {timeoutMs: 5000});
				url = probe.url;
				checks.push({at: new Date().toISOString(), status: probe.status, ms: probe.ms});
				context.log(`${probe.status ?? 'no answer'} in ${probe.ms} ms${probe.ok ? '' : ` — ${probe.detail}`}`);
				passes = probe.ok ? passes + 1 : 0;
				if (passes < passesNeeded) {
					await sleep(intervalMs, context.signal);
				}
			}

			await context.record({health: {url: redactUrl(url), result: passes >= passesNeeded ? 'pass' : 'fail', checks: checks.slice(-20)}});
		},
		async verify(context: StepContext) {
			const health = context.journal.facts.health;
			if (health?.result !== 'pass') {
				const last = health?.checks.at(-1);
				throw new StepFailedError(id, 'failed', `${target.healthPath} did not answer 200 ${passesNeeded} times in a row within ${Math.round(timeoutMs / 1000)} s (last: ${last?.status ?? 'no answer'}).`);
			}

			return {ok: true, message: `${target.healthPath} answered 200 ${passesNeeded} times`};
		},
		classify: classifyStepError(id),
		onFailure: () => [
			{id: 'rollback-app', label: 'Roll the app back to the previous build', explanation: 'Redeploys the recorded build; the migration stays applied (the previous build must work with it).'},
			{id: 'retry', label: 'Check health again'},
			{id: 'stop', label: 'Stop here and investigate (logs: `wheelhouse logs SERVICE`)'},
		],
	};
}

function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		parsed.search = '';
		return parsed.toString();
	} catch {
		return '';
	}
}
