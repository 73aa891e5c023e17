// Render runs the migration itself: as the deploy's pre-deploy command, from the new build, before the
// build takes traffic (release-safety §1.4). A failing command fails the deploy (`pre_deploy_failed`)
// and the service keeps its last successful deploy. These steps set the command and ship the deploy.
import type {Provider} from '../../core/provider.js';
import type {Build} from '../../core/types.js';
import {classifyPgError} from '../../infra/postgres/errors.js';
import {databaseConnection} from '../database.js';
import {appliedMigrations} from '../pg-tools.js';
import {classifyStepError, StepFailedError} from '../step-failure.js';
import type {DeploymentTarget} from '../target.js';
import type {StepContext, StepDefinition} from '../types.js';
import {waitUntil} from '../wait.js';
import {shortBuild} from './facts.js';

/** What a platform with Render's deploy model offers beyond the common provider. */
export type PreDeployPlatform = {
	setPreDeployCommand(serviceId: string, command: string): Promise<{preDeployCommand?: string}>;
	getPreDeployCommand(serviceId: string): Promise<string | undefined>;
	triggerDeploy(serviceId: string, options?: {commitId?: string}): Promise<{deploy: Build; queued: boolean}>;
};

export function hasPreDeploy(provider: Provider): provider is Provider & PreDeployPlatform {
	const candidate = provider as Partial<PreDeployPlatform>;
	return typeof candidate.setPreDeployCommand === 'function' && typeof candidate.triggerDeploy === 'function' && typeof candidate.getPreDeployCommand === 'function';
}

function preDeployPlatform(provider: Provider, stepId: string): Provider & PreDeployPlatform {
	if (!hasPreDeploy(provider)) {
		throw new StepFailedError(stepId, 'failed', 'This platform has no pre-deploy command: the Render release runs only against Render.');
	}

	return provider;
}

const finished = new Set(['live', 'deactivated', 'build_failed', 'update_failed', 'canceled', 'pre_deploy_failed']);

/** Sets the service's pre-deploy command to the context's migrate command (a confirmed change). */
export function preDeployCommandStep(target: DeploymentTarget): StepDefinition {
	const id = 'pre-deploy-command';
	return {
		id,
		title: 'Set the migration as the pre-deploy command',
		impact: 'mutate',
		preview: () => ({
			summary: `Set ${target.service.name}'s pre-deploy command to \`${target.migrateCommand}\``,
			details: ['Render runs it from the new build before that build takes traffic; if it fails, the deploy fails and the old deploy keeps serving.'],
			equivalent: `curl -X PATCH https://api.render.com/v1/services/${target.service.id} -d '{"serviceDetails":{"preDeployCommand":"${target.migrateCommand}"}}'`,
		}),
		async reconcile(context) {
			const current = await preDeployPlatform(context.provider, id).getPreDeployCommand(target.service.id);
			return current === target.migrateCommand ? {state: 'done', note: 'the pre-deploy command is already set'} : {state: 'not-started', note: current ? `pre-deploy command is \`${current}\`` : 'no pre-deploy command'};
		},
		async action(context) {
			const result = await preDeployPlatform(context.provider, id).setPreDeployCommand(target.service.id, target.migrateCommand);
			context.log(`pre-deploy command: ${result.preDeployCommand ?? 'none'}`);
		},
		async verify(context) {
			const current = await preDeployPlatform(context.provider, id).getPreDeployCommand(target.service.id);
			return current === target.migrateCommand
				? {ok: true, message: `pre-deploy command is \`${current}\``}
				: {ok: false, message: `the pre-deploy command is ${current ? `\`${current}\`` : 'not set'}, not \`${target.migrateCommand}\``};
		},
		classify: classifyStepError(id),
		onFailure: () => [{id: 'retry', label: 'Set it again'}, {id: 'stop', label: 'Stop here (nothing was migrated or deployed)'}],
	};
}

/** Triggers the deploy of the commit (or the branch's head) and waits until it is live or has failed. */
export function preDeployReleaseStep(target: DeploymentTarget, options: {commit?: string}): StepDefinition {
	const id = 'deploy';
	return {
		id,
		title: 'Deploy the new commit (migrating in its pre-deploy phase)',
		impact: 'mutate',
		preview: journal => ({
			summary: `Deploy ${options.commit ? `commit ${options.commit.slice(0, 7)}` : 'the branch\'s newest commit'} to ${target.service.name}; Render runs \`${target.migrateCommand}\` from it first, then rolls it out`,
			details: [
				`Live now (the rollback target): ${shortBuild(journal.facts.previousBuild, 'recorded at the first step')}`,
				'If the migration fails, the deploy fails (pre_deploy_failed) and the old deploy keeps serving.',
			],
			equivalent: `curl -X POST https://api.render.com/v1/services/${target.service.id}/deploys${options.commit ? ` -d '{"commitId":"${options.commit}"}'` : ''}`,
		}),
		async reconcile(context) {
			const deploy = await ownDeploy(context, target);
			if (!deploy) {
				return {state: 'not-started'};
			}

			return finished.has(deploy.rawStatus) ? {state: 'done', note: `deploy ${deploy.id} ${deploy.rawStatus}: verify decides`} : {state: 'in-flight', note: `deploy ${deploy.id} ${deploy.rawStatus}`};
		},
		async action(context) {
			const platform = preDeployPlatform(context.provider, id);
			const before = await appliedMigrations(await databaseConnection(context.provider, target));
			await context.record({migrations: {tool: before.tool === 'none' ? target.migrationTool : before.tool, before: before.applied}});
			const {deploy, queued} = await platform.triggerDeploy(target.service.id, options.commit ? {commitId: options.commit} : {});
			await context.handle('deployId', deploy.id);
			await context.record({newBuild: {buildId: deploy.id, sha: deploy.sha}, deployment: {buildId: deploy.id, requestedAt: new Date().toISOString()}});
			context.log(`deploy ${deploy.id} ${queued ? 'queued behind another' : deploy.rawStatus}`);
		},
		async wait(context) {
			const deployId = deployHandle(context);
			let last = '';
			await waitUntil(async () => {
				const deploy = await context.provider.getBuild(target.service.id, deployId);
				if (deploy.rawStatus !== last) {
					context.log(`deploy ${deployId}: ${deploy.rawStatus}`);
					last = deploy.rawStatus;
				}

				return finished.has(deploy.rawStatus) ? deploy : undefined;
			}, {what: `deploy ${deployId}`, intervalMs: 1500, timeoutMs: 30 * 60 * 1000, signal: context.signal});
		},
		async verify(context) {
			const deployId = deployHandle(context);
			const deploy = await context.provider.getBuild(target.service.id, deployId);
			await context.record({newBuild: {buildId: deploy.id, sha: deploy.sha}});
			const after = await appliedMigrations(await databaseConnection(context.provider, target));
			const migrations = context.journal.facts.migrations ?? {tool: target.migrationTool};
			const before = migrations.before ?? [];
			const added = after.applied.filter(name => !before.includes(name));
			if (deploy.rawStatus === 'live') {
				await context.record({migrations: {...migrations, plan: added, after: after.applied, state: 'clean'}});
				return {ok: true, message: `deploy ${deploy.id} is live; ${added.length === 0 ? 'no migrations were pending' : `the pre-deploy phase applied ${added.join(', ')}`}`};
			}

			const live = await context.provider.getDeployment(target.service.id);
			const keeps = `${target.service.name} keeps its last successful deploy ${live.buildId ?? '(none)'}`;
			if (deploy.rawStatus === 'pre_deploy_failed') {
				const output = await deployLogText(context, target, deploy);
				const classified = classifyPgError(output.join('\n'));
				await context.record({migrations: {...migrations, after: after.applied, state: classified.class === 'schema-unknown' ? 'unknown' : added.length > 0 ? 'dirty' : 'clean'}});
				const progress = added.length > 0 ? `${added.join(', ')} applied before it failed; ` : '';
				const schema = classified.class === 'schema-unknown' ? 'the schema may be half-changed — reconcile it before anything else' : 'the failing migration rolled back';
				throw new StepFailedError(id, classified.class, `The migration failed in the pre-deploy phase of deploy ${deploy.id} (pre_deploy_failed): ${progress}${classified.reason}; ${schema}. ${keeps}.`, output.slice(-10));
			}

			throw new StepFailedError(id, 'failed', `Deploy ${deploy.id} ended ${deploy.rawStatus}. ${keeps}.`);
		},
		classify: classifyStepError(id),
		onFailure: failure => failure.class === 'schema-unknown'
			? [
				{id: 'stop', label: 'Stop and reconcile the schema by hand (the old deploy keeps serving)'},
				{id: 'restore-backup', label: 'Restore the backup taken at the start of this run', explanation: 'Writes since the backup are lost.'},
			]
			: [
				{id: 'stop', label: 'Stop here (the old deploy keeps serving)'},
				{id: 'retry', label: 'Deploy again', explanation: 'Only once the cause is fixed (a lock timeout may pass on its own).'},
			],
	};
}

function deployHandle(context: StepContext): string {
	const deployId = context.step.handles?.deployId;
	if (!deployId) {
		throw new StepFailedError('deploy', 'unknown', 'The journal has no deploy id for this step.');
	}

	return deployId;
}

/** The deploy this step triggered: recorded, or — after a crash or a 202 without a body — the newest one created since the step started. */
async function ownDeploy(context: StepContext, target: DeploymentTarget): Promise<Build | undefined> {
	const recorded = context.step.handles?.deployId;
	if (recorded) {
		return context.provider.getBuild(target.service.id, recorded);
	}

	if (!context.step.startedAt || !context.step.intent) {
		return undefined;
	}

	const since = new Date(context.step.startedAt).getTime() - 2000;
	const deploys = await context.provider.listBuilds(target.service.id, 10);
	const found = deploys.find(deploy => deploy.createdAt !== undefined && deploy.createdAt.getTime() >= since);
	if (found) {
		await context.handle('deployId', found.id);
		await context.record({newBuild: {buildId: found.id, sha: found.sha}});
	}

	return found;
}

/** The service's log lines since the deploy was created (newest pages first, a bounded number): its pre-deploy command's output among them. */
async function deployLogText(context: StepContext, target: DeploymentTarget, deploy: Build): Promise<string[]> {
	const lines: string[] = [];
	let until = new Date();
	try {
		for (let page = 0; page < 20; page++) {
			const {lines: got, hasMore} = await context.provider.fetchLogs({kind: 'service', id: target.service.id, name: target.service.name}, {since: deploy.createdAt, until, direction: 'backward', limit: 100});
			const ordered = [...got].sort((a, b) => a.timestamp - b.timestamp);
			lines.unshift(...ordered.map(line => line.text));
			const oldest = ordered[0];
			if (!hasMore || !oldest) {
				break;
			}

			until = new Date(oldest.timestamp);
		}
	} catch {
		// Without logs the failure is still reported, just not classified.
	}

	return lines;
}
