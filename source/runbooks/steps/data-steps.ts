// The data side of a rollback: restore a backup over the addon, or reverse-migrate with the code of
// the build that brought the migrations (the older build does not have their reverse operations).
import type {Restore} from '../../core/database.js';
import {databaseConnection} from '../database.js';
import {followJobRun, startJobCommand} from '../job-run.js';
import {appliedMigrations} from '../pg-tools.js';
import {classifyStepError, StepFailedError} from '../step-failure.js';
import type {DeploymentTarget} from '../target.js';
import type {StepContext, StepDefinition} from '../types.js';
import {waitUntil} from '../wait.js';
import {jobRunState, migrationEnvironment} from './migrate-steps.js';
import {equivalents} from '../equivalents.js';

export function restoreStep(target: DeploymentTarget, backup: {id: string; createdAt?: Date}): StepDefinition {
	const id = 'restore';
	const when = backup.createdAt ? backup.createdAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'the backup';
	return {
		id,
		title: `Restore backup ${backup.id} over ${target.addon.name}`,
		impact: 'destructive',
		preview: () => ({
			summary: `Restore ${backup.id} into ${target.addon.name}: the database goes back to ${when}`,
			details: [`Every write since ${when} is lost.`, 'The addon is unavailable while it restores.', 'A fresh backup of the current state is taken first, so this too can be undone.'],
			equivalent: equivalents.restore(target, backup.id),
		}),
		async reconcile(context) {
			const restore = await ownRestore(context, target, backup.id);
			if (!restore) {
				return {state: 'not-started'};
			}

			if (restore.status === 'completed') {
				return {state: 'done', note: `restore ${restore.id} completed`};
			}

			return restore.status === 'in-progress' ? {state: 'in-flight', note: `restore ${restore.id} in progress`} : {state: 'failed', reason: `restore ${restore.id} ${restore.rawStatus}`};
		},
		async action(context) {
			const {restoreId} = await context.provider.restoreBackup(target.addon.id, backup.id);
			await context.handle('restoreId', restoreId);
			await context.record({restore: {restoreId, backupId: backup.id}});
			context.log(`restore ${restoreId} started`);
		},
		async wait(context) {
			const restoreId = context.step.handles!.restoreId!;
			await waitUntil(async () => {
				const restore = (await context.provider.listRestores(target.addon.id, 20)).find(candidate => candidate.id === restoreId);
				return restore && restore.status !== 'in-progress' ? restore : undefined;
			}, {what: `restore ${restoreId}`, intervalMs: 1500, timeoutMs: 60 * 60 * 1000, signal: context.signal});
		},
		async verify(context) {
			const restoreId = context.step.handles?.restoreId;
			const restore = (await context.provider.listRestores(target.addon.id, 20)).find(candidate => candidate.id === restoreId);
			if (restore?.status !== 'completed') {
				throw new StepFailedError(id, 'schema-unknown', `Restore ${restoreId ?? '?'} ended ${restore?.rawStatus ?? 'unknown'}: the database may be partly restored.`);
			}

			const state = await appliedMigrations(await databaseConnection(context.provider, target));
			await context.record({migrations: {...context.journal.facts.migrations ?? {tool: state.tool === 'none' ? target.migrationTool : state.tool}, after: state.applied, state: 'clean'}});
			return {ok: true, message: `restored ${backup.id}; ${state.applied.length} migrations applied now`};
		},
		classify: classifyStepError(id),
		onFailure: () => [{id: 'retry', label: 'Restore again'}, {id: 'stop', label: 'Stop and check the database by hand'}],
	};
}

async function ownRestore(context: StepContext, target: DeploymentTarget, backupId: string): Promise<Restore | undefined> {
	const restores = await context.provider.listRestores(target.addon.id, 20);
	const recorded = context.step.handles?.restoreId;
	if (recorded) {
		return restores.find(restore => restore.id === recorded);
	}

	if (!context.step.startedAt) {
		return undefined;
	}

	const since = new Date(context.step.startedAt).getTime() - 2000;
	const found = restores.find(restore => restore.backupId === backupId && (restore.startedAt?.getTime() ?? 0) >= since);
	if (found) {
		await context.handle('restoreId', found.id);
	}

	return found;
}

/** `migrate app 00NN` (Django) or `alembic downgrade REV`, run from the build that has the reverse code. */
export function reverseMigrateStep(target: DeploymentTarget, options: {to: string; buildId: string}): StepDefinition {
	const id = 'reverse-migrate';
	const command = reverseCommand(target, options.to);
	return {
		id,
		title: `Reverse the migrations to ${options.to}`,
		impact: 'destructive',
		preview: () => ({
			summary: `Run \`${command}\` as a run of ${target.job.name} from build ${options.buildId} (the build that has the reverse code)`,
			details: ['Columns and tables the reversed migrations added are dropped with their data.', 'Irreversible migrations make this fail; then restore the backup instead.'],
			equivalent: equivalents.jobRun(target, command, options.buildId),
		}),
		async reconcile(context) {
			return jobRunState(context, target);
		},
		async action(context) {
			const before = await appliedMigrations(await databaseConnection(context.provider, target));
			await context.record({migrations: {tool: before.tool === 'none' ? target.migrationTool : before.tool, before: before.applied}});
			const run = await startJobCommand(context.provider, {job: target.job, service: target.service, buildId: options.buildId, command, env: migrationEnvironment(context.journal.runId)});
			await context.handle('jobRunId', run.id);
		},
		async wait(context) {
			await followJobRun(context.provider, target.job, context.step.handles!.jobRunId!, {log: context.log, signal: context.signal, timeoutMs: 60 * 60 * 1000});
		},
		async verify(context) {
			const run = await context.provider.getJobRun(target.job.id, context.step.handles!.jobRunId!);
			const after = await appliedMigrations(await databaseConnection(context.provider, target));
			const before = context.journal.facts.migrations?.before ?? [];
			await context.record({migrations: {...context.journal.facts.migrations ?? {tool: target.migrationTool}, after: after.applied, state: run.status === 'success' ? 'clean' : 'unknown'}});
			if (run.status !== 'success') {
				const changed = after.applied.length !== before.length;
				throw new StepFailedError(id, changed ? 'schema-unknown' : 'failed', `Reversing to ${options.to} failed (job run ${run.id} ${run.rawStatus})${changed ? ' after reversing part of the way' : '; nothing was reversed'}.`);
			}

			return {ok: true, message: `reversed ${before.length - after.applied.length} migration(s)`};
		},
		classify: classifyStepError(id),
		onFailure: () => [{id: 'restore-backup', label: 'Restore the backup instead', explanation: 'Writes since the backup are lost.'}, {id: 'stop', label: 'Stop here'}],
	};
}

function reverseCommand(target: DeploymentTarget, to: string): string {
	if (target.migrationTool === 'alembic') {
		return `alembic downgrade ${to}`;
	}

	const [app, name] = to.split('.', 2);
	return `python manage.py migrate ${app} ${name ?? 'zero'} --noinput`;
}
