// The release runbook on Render (issue 6): Render runs the migration itself, as the deploy's pre-deploy
// command from the new build before it takes traffic (release-safety §1.4). So: record the live deploy →
// back up (an export) → check the backup is readable → set the pre-deploy command → deploy and wait
// for live (a failed migration fails the deploy; the old one keeps serving) → health gate.
import {databasePreflight, platformFindings} from './preflight.js';
import {releaseLockHooks} from './release-lock-hooks.js';
import {takeBackupStep, verifyBackupStep} from './steps/backup-steps.js';
import {healthStep} from './steps/deploy-steps.js';
import {shortBuild} from './steps/facts.js';
import {preDeployCommandStep, preDeployReleaseStep} from './steps/pre-deploy-steps.js';
import type {DeploymentTarget} from './target.js';
import type {Runbook, StepDefinition} from './types.js';

export type RenderReleaseParameters = {commit?: string};

export function renderReleaseRunbook(target: DeploymentTarget, parameters: RenderReleaseParameters = {}): Runbook {
	return {
		kind: 'release',
		title: `Release ${target.service.name}`,
		locks: true,
		lockHooks: releaseLockHooks(target),
		async preflight(context) {
			const [platform, database] = await Promise.all([platformFindings(context.provider, target), databasePreflight(context.provider, target)]);
			return [
				{level: 'info', check: 'release', message: `Deploy ${parameters.commit ? `commit ${parameters.commit.slice(0, 7)}` : 'the branch\'s newest commit'}; Render runs \`${target.migrateCommand}\` as its pre-deploy command before it takes traffic.`},
				...platform,
				...database,
			];
		},
		steps: [
			recordLiveDeployStep(target),
			takeBackupStep(target, {purpose: 'before the pre-deploy migration'}),
			verifyBackupStep(target, {restore: false, require: 'readable', gate: true}),
			preDeployCommandStep(target),
			preDeployReleaseStep(target, parameters),
			healthStep(target),
		],
	};
}

/** The live deploy is the rollback target: Render's rollback endpoint takes it back. */
function recordLiveDeployStep(target: DeploymentTarget): StepDefinition {
	return {
		id: 'record',
		title: 'Record the live deploy',
		impact: 'read',
		preview: journal => ({
			summary: `Record the deploy ${target.service.name} runs now (the rollback target)`,
			details: [`Live now: ${shortBuild(journal.facts.previousBuild, 'read at this step')}`],
			equivalent: `curl https://api.render.com/v1/services/${target.service.id}/deploys?status=live&limit=1`,
		}),
		async reconcile(context) {
			return context.journal.facts.previousBuild ? {state: 'done', note: 'live deploy already recorded'} : {state: 'not-started'};
		},
		async action(context) {
			const live = await context.provider.getDeployment(target.service.id);
			await context.record({previousBuild: {buildId: live.buildId ?? '', sha: live.sha}});
			context.log(`live now: ${live.buildId ?? 'nothing'}${live.sha ? ` (${live.sha.slice(0, 7)})` : ''}`);
		},
		async verify(context) {
			const previous = context.journal.facts.previousBuild;
			return previous?.buildId ? {ok: true, message: `live deploy ${shortBuild(previous, '?')}`} : {ok: false, message: `${target.service.name} has no live deploy to come back to`};
		},
		onFailure: () => [{id: 'stop', label: 'Stop here (nothing was changed)'}],
	};
}
