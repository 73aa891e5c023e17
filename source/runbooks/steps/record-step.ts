// First step of a release: write down what runs now (the rollback target) and what will replace it.
import {UsageError} from '../../core/errors.js';
import type {Provider} from '../../core/provider.js';
import type {Build} from '../../core/types.js';
import type {DeploymentTarget} from '../target.js';
import type {StepDefinition} from '../types.js';
import {shortBuild} from './facts.js';
import {equivalents} from '../equivalents.js';

export function recordStep(target: DeploymentTarget, wantedBuild: string | undefined): StepDefinition {
	return {
		id: 'record',
		title: 'Record the deployed build and choose the new one',
		impact: 'read',
		preview: journal => ({
			summary: `Record the build ${target.service.name} runs now (the rollback target) and the build to release`,
			details: [
				`Deployed now: ${shortBuild(journal.facts.previousBuild, 'read at this step')}`,
				`To release: ${shortBuild(journal.facts.newBuild, wantedBuild ?? 'the newest successful build that is not deployed')}`,
			],
			equivalent: equivalents.recordDeployment(target),
		}),
		async reconcile(context) {
			return context.journal.facts.previousBuild && context.journal.facts.newBuild ? {state: 'done', note: 'builds already recorded'} : {state: 'not-started'};
		},
		async action(context) {
			const {previous, next} = await chooseBuilds(context.provider, target, wantedBuild);
			await context.record({previousBuild: {buildId: previous.buildId ?? '', sha: previous.sha}, newBuild: {buildId: next.id, sha: next.sha}});
			context.log(`deployed now: ${previous.buildId ?? 'nothing'}; releasing ${next.id}${next.sha ? ` (${next.sha.slice(0, 7)}) ${next.message ?? ''}` : ''}`);
		},
		async verify(context) {
			const {previousBuild, newBuild} = context.journal.facts;
			return previousBuild && newBuild ? {ok: true, message: `previous ${shortBuild(previousBuild, '?')}, new ${shortBuild(newBuild, '?')}`} : {ok: false, message: 'builds not recorded'};
		},
		onFailure: () => [{id: 'stop', label: 'Stop here (nothing was changed)'}],
	};
}

/** The deployed build, and the target: the one asked for (must be SUCCESS) or the newest successful other one. */
export async function chooseBuilds(provider: Provider, target: DeploymentTarget, wantedBuild: string | undefined): Promise<{previous: {buildId?: string; sha?: string}; next: Build}> {
	const previous = await provider.getDeployment(target.service.id);
	if (wantedBuild) {
		const build = await provider.getBuild(target.service.id, wantedBuild).catch(() => undefined);
		if (!build) {
			throw new UsageError(`Service ${target.service.name} has no build "${wantedBuild}".`, 'Run `wheelhouse status` to see its builds, and give one with --build ID.');
		}

		if (build.status !== 'success') {
			throw new UsageError(`Build ${build.id} is ${build.rawStatus}; only a build with status SUCCESS can be released.`, 'Choose a successful build with --build ID.');
		}

		if (build.id === previous.buildId) {
			throw new UsageError(`Build ${build.id} is already deployed to ${target.service.name}.`, 'Choose another build with --build ID, or leave --build out for the newest one.');
		}

		return {previous, next: build};
	}

	const builds = await provider.listBuilds(target.service.id, 20);
	const next = builds.find(build => build.status === 'success' && build.id !== previous.buildId);
	const newestSuccess = builds.find(build => build.status === 'success');
	if (!next || newestSuccess?.id === previous.buildId) {
		throw new UsageError(`Nothing to release: the newest successful build of ${target.service.name} is already deployed.`, 'Start a build first (`:build` in the console), or name an older one with --build ID to go back to it.');
	}

	return {previous, next};
}
