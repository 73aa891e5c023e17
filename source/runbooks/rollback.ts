// The rollback runbook: two separate, labelled decisions (release-safety §5.1.8). App: redeploy the
// recorded previous build, which does not touch data. Data: reverse-migrate with the newer build's
// code (before the app goes back), or restore a backup (after it), losing writes since the backup.
import {platformFindings, databasePreflight} from './preflight.js';
import {releaseLockHooks} from './release-lock-hooks.js';
import {autoDeployOffStep} from './steps/auto-deploy-step.js';
import {takeBackupStep} from './steps/backup-steps.js';
import {reverseMigrateStep, restoreStep} from './steps/data-steps.js';
import {deployStep, healthStep} from './steps/deploy-steps.js';
import {shortBuild} from './steps/facts.js';
import type {DeploymentTarget} from './target.js';
import type {Finding, Runbook, StepDefinition} from './types.js';

export type RollbackPlan = {
	/** The build running now. */
	from: {buildId: string; sha?: string};
	/** The build to go back to; absent for a data-only rollback. */
	to?: {buildId: string; sha?: string};
	restore?: {id: string; createdAt?: Date};
	reverseTo?: string;
};

export function rollbackRunbook(target: DeploymentTarget, plan: RollbackPlan): Runbook {
	const steps: StepDefinition[] = [recordRollbackStep(target, plan)];
	if (plan.reverseTo) {
		steps.push(reverseMigrateStep(target, {to: plan.reverseTo, buildId: plan.from.buildId}));
	}

	if (plan.to) {
		steps.push(deployStep(target, {
			id: 'redeploy',
			title: 'App: redeploy the previous build',
			build: journal => journal.facts.newBuild,
			note: 'App only: this does not touch the database. The schema stays as it is unless you also chose a data rollback.',
		}));
	}

	if (plan.restore) {
		steps.push(
			takeBackupStep(target, {id: 'safety-backup', purpose: 'of the current state, so the restore can be undone', nameSuffix: '-before-restore'}),
			restoreStep(target, plan.restore),
		);
	}

	steps.push(healthStep(target));
	if (plan.to && target.platform === 'render') {
		steps.push(autoDeployOffStep(target));
	}

	return {
		kind: 'rollback',
		title: `Roll back ${target.service.name}`,
		locks: true,
		lockHooks: releaseLockHooks(target),
		async preflight(context) {
			const findings: Finding[] = [
				plan.to
					? {level: 'info', check: 'app', message: `Redeploy ${shortBuild(plan.to, '?')} in place of ${shortBuild(plan.from, '?')}. This does not touch the database.`}
					: {level: 'info', check: 'app', message: `The app stays on ${shortBuild(plan.from, '?')}.`},
				plan.restore
					? {level: 'warn', check: 'data', message: `Restore backup ${plan.restore.id}: every write since ${plan.restore.createdAt?.toISOString() ?? 'it was taken'} is lost.`}
					: plan.reverseTo
						? {level: 'warn', check: 'data', message: `Reverse migrations to ${plan.reverseTo} with build ${plan.from.buildId}'s code; data in dropped columns is lost.`}
						: {level: 'info', check: 'data', message: 'Data: untouched. The previous build must work with the current schema (expand/contract); otherwise add --restore BACKUP or --reverse-to MIGRATION.'},
			];
			const [platform, database] = await Promise.all([platformFindings(context.provider, target), databasePreflight(context.provider, target)]);
			return [...findings, ...platform, ...database];
		},
		steps,
	};
}

function recordRollbackStep(target: DeploymentTarget, plan: RollbackPlan): StepDefinition {
	return {
		id: 'record',
		title: 'Record the build running now',
		impact: 'read',
		preview: () => ({
			summary: `Record that ${target.service.name} runs ${shortBuild(plan.from, '?')}${plan.to ? ` and goes back to ${shortBuild(plan.to, '?')}` : ''}`,
			details: [],
		}),
		async reconcile(context) {
			return context.journal.facts.previousBuild ? {state: 'done'} : {state: 'not-started'};
		},
		async action(context) {
			await context.record({previousBuild: plan.from, ...(plan.to ? {newBuild: plan.to} : {}), rollback: {to: plan.to?.buildId, restoreBackup: plan.restore?.id, reverseTo: plan.reverseTo}});
		},
		async verify(context) {
			const deployment = await context.provider.getDeployment(target.service.id);
			if (deployment.buildId !== plan.from.buildId && deployment.buildId !== plan.to?.buildId) {
				return {ok: false, message: `${target.service.name} now runs ${deployment.buildId ?? 'nothing'}, not ${plan.from.buildId}: someone deployed since the plan was made.`};
			}

			return {ok: true, message: `running ${deployment.buildId ?? 'nothing'}`};
		},
		onFailure: () => [{id: 'stop', label: 'Stop and plan the rollback again'}],
	};
}
