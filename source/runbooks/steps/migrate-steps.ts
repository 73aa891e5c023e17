// Read the new build's migration plan, then run the migration as a job run of the new build, with
// lock and statement timeouts, and check the outcome in the database itself.
import {databaseConnection} from '../database.js';
import {findRunStartedSince, followJobRun, jobRunOutput, startJobCommand} from '../job-run.js';
import {appliedMigrations, classifyMigrationOutput, databaseFindings, pendingFromPlan} from '../pg-tools.js';
import {ownLockPids} from '../release-lock-hooks.js';
import {classifyStepError, StepFailedError} from '../step-failure.js';
import type {DeploymentTarget} from '../target.js';
import type {Finding, Journal, StepContext, StepDefinition} from '../types.js';
import {requireFact, shortBuild} from './facts.js';
import {equivalents} from '../equivalents.js';

/** Timeouts for the migrating session (release-safety §2.2): fail fast on a lock, give DDL time to run. */
export const migrationTimeouts = {lockTimeout: '5s', statementTimeout: '15min'};

export function migrationEnvironment(runId: string): Record<string, string> {
	return {PGOPTIONS: `-c lock_timeout=${migrationTimeouts.lockTimeout} -c statement_timeout=${migrationTimeouts.statementTimeout}`, WHEELHOUSE_RUN_ID: runId};
}

function planCommand(target: DeploymentTarget): string {
	return target.migrationTool === 'alembic' ? 'alembic heads' : 'python manage.py showmigrations --plan';
}

export function planStep(target: DeploymentTarget): StepDefinition {
	const id = 'plan';
	return {
		id,
		title: 'Read the migration plan of the new build',
		impact: 'read',
		preview: journal => ({
			summary: `Run \`${planCommand(target)}\` in ${target.job.name} from the new build and compare it with the database`,
			details: [`New build: ${shortBuild(journal.facts.newBuild, 'from the previous step')}`, `Applied now: ${journal.facts.migrations?.before?.length ?? '?'} migrations`],
			equivalent: equivalents.jobRun(target, planCommand(target), journal.facts.newBuild?.buildId),
		}),
		async reconcile(context) {
			if (context.journal.facts.migrations?.plan) {
				return {state: 'done', note: 'plan already read'};
			}

			return jobRunState(context, target);
		},
		async action(context) {
			const newBuild = requireFact(context.journal, 'newBuild', id);
			const before = await appliedMigrations(await databaseConnection(context.provider, target));
			await context.record({migrations: {...context.journal.facts.migrations, tool: before.tool === 'none' ? target.migrationTool : before.tool, before: before.applied}});
			const run = await startJobCommand(context.provider, {job: target.job, service: target.service, buildId: newBuild.buildId, command: planCommand(target), env: {WHEELHOUSE_RUN_ID: context.journal.runId}});
			await context.handle('jobRunId', run.id);
		},
		async wait(context) {
			await followJobRun(context.provider, target.job, context.step.handles!.jobRunId!, {log: context.log, signal: context.signal, timeoutMs: 10 * 60 * 1000});
		},
		async verify(context) {
			const run = await context.provider.getJobRun(target.job.id, context.step.handles!.jobRunId!);
			const output = await jobRunOutput(context.provider, target.job, run);
			if (run.status !== 'success') {
				throw new StepFailedError(id, 'failed', `Reading the plan failed (job run ${run.id} ${run.rawStatus}); nothing was changed.`, output.slice(-8));
			}

			const before = context.journal.facts.migrations?.before ?? [];
			const pending = pendingFromPlan(target.migrationTool, output, before);
			await context.record({migrations: {...context.journal.facts.migrations!, plan: pending}});
			context.log(pending.length === 0 ? 'no pending migrations' : `pending: ${pending.join(', ')}`);
			return {ok: true, message: pending.length === 0 ? 'no pending migrations' : `${pending.length} pending: ${pending.join(', ')}`};
		},
		classify: classifyStepError(id),
		onFailure: () => [{id: 'retry', label: 'Read the plan again'}, {id: 'stop', label: 'Stop here (nothing was changed)'}],
	};
}

export function migrateStep(target: DeploymentTarget): StepDefinition {
	const id = 'migrate';
	return {
		id,
		title: 'Run the migration from the new build',
		impact: 'mutate',
		preview: journal => ({
			summary: `Run \`${target.migrateCommand}\` as a run of ${target.job.name} from ${journal.facts.newBuild ? `build ${shortBuild(journal.facts.newBuild, '')}` : 'the new build'}, and wait`,
			details: [
				`Pending: ${journal.facts.migrations?.plan?.join(', ') || (journal.facts.migrations?.plan ? 'none' : 'read at the plan step')}`,
				`Session timeouts: lock_timeout=${migrationTimeouts.lockTimeout}, statement_timeout=${migrationTimeouts.statementTimeout} (PGOPTIONS)`,
				'Runs only after the backup is readable; nothing is deployed unless it succeeds.',
			],
			equivalent: equivalents.jobRun(target, target.migrateCommand, journal.facts.newBuild?.buildId),
		}),
		async preconditions(context) {
			return migrationPreconditions(context, target);
		},
		async reconcile(context) {
			return jobRunState(context, target);
		},
		async action(context) {
			const newBuild = requireFact(context.journal, 'newBuild', id);
			const run = await startJobCommand(context.provider, {job: target.job, service: target.service, buildId: newBuild.buildId, command: target.migrateCommand, env: migrationEnvironment(context.journal.runId)});
			await context.handle('jobRunId', run.id);
			await context.record({migrations: {...context.journal.facts.migrations ?? {tool: target.migrationTool}, jobRunId: run.id}});
			context.log(`job run ${run.id} started`);
		},
		async wait(context) {
			await followJobRun(context.provider, target.job, context.step.handles!.jobRunId!, {log: context.log, signal: context.signal, timeoutMs: 60 * 60 * 1000});
		},
		async verify(context) {
			return verifyMigrationRun(context, target, id);
		},
		classify: classifyStepError(id),
		onFailure: failure => {
			if (failure.class === 'retryable') {
				return [
					{id: 'retry', label: 'Run the migration again', explanation: 'It timed out waiting for a lock and rolled back: nothing changed. Find the blocking session first (see the preflight).'},
					{id: 'stop', label: 'Stop here (the old build keeps serving; nothing was deployed)'},
				];
			}

			if (failure.class === 'schema-unknown') {
				return [
					{id: 'stop', label: 'Stop and reconcile the schema by hand (nothing was deployed)'},
					{id: 'restore-backup', label: 'Restore the backup taken at the start of this run', explanation: 'Writes since the backup are lost.'},
				];
			}

			return [
				{id: 'stop', label: 'Stop here (the old build keeps serving; nothing was deployed)'},
				{id: 'restore-backup', label: 'Restore the backup taken at the start of this run', explanation: 'Only needed if the migration left changes; writes since the backup are lost.'},
			];
		},
	};
}

/** Did the run succeed, and does the database now hold every planned migration? */
export async function verifyMigrationRun(context: StepContext, target: DeploymentTarget, stepId: string) {
	const run = await context.provider.getJobRun(target.job.id, context.step.handles!.jobRunId!);
	const output = await jobRunOutput(context.provider, target.job, run);
	const after = await appliedMigrations(await databaseConnection(context.provider, target));
	const migrations = context.journal.facts.migrations ?? {tool: target.migrationTool};
	const before = migrations.before ?? [];
	const changed = after.applied.length !== before.length || after.applied.some((name, index) => before[index] !== name);
	if (run.status !== 'success') {
		const classified = classifyMigrationOutput(output);
		const added = after.applied.filter(name => !before.includes(name));
		const removed = before.filter(name => !after.applied.includes(name));
		const plan = migrations.plan ?? added;
		// Each migration is its own transaction: a known prefix of the plan applied is a known state.
		const knownState = removed.length === 0 && added.every((name, index) => plan[index] === name);
		const failureClass = classified.class === 'schema-unknown' || !knownState ? 'schema-unknown' : classified.class;
		const state = failureClass === 'schema-unknown' ? 'unknown' : changed ? 'dirty' : 'clean';
		await context.record({migrations: {...migrations, after: after.applied, state}});
		const progress = added.length > 0 ? `${added.join(', ')} applied before it failed; ` : '';
		const what = failureClass === 'retryable'
			? `${progress}${classified.reason}; the failing migration rolled back`
			: failureClass === 'schema-unknown'
				? `${classified.reason}; the schema may be half-changed — reconcile it before anything else`
				: `${progress}${classified.reason}; the failing migration rolled back`;
		throw new StepFailedError(stepId, failureClass, `The migration failed (job run ${run.id} ${run.rawStatus}): ${what}.`, output.slice(-10));
	}

	const missing = (migrations.plan ?? []).filter(name => !after.applied.includes(name));
	await context.record({migrations: {...migrations, after: after.applied, state: missing.length === 0 ? 'clean' : 'unknown'}});
	if (missing.length > 0) {
		throw new StepFailedError(stepId, 'schema-unknown', `The migration run succeeded but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not recorded as applied.`, output.slice(-10));
	}

	return {ok: true, message: `applied ${after.applied.length - before.length} migration(s); ${after.applied.length} in total`};
}

/** The migration job's run this step started: recorded, or found by start time after a crash. */
export async function jobRunState(context: StepContext, target: DeploymentTarget) {
	let runId = context.step.handles?.jobRunId;
	if (!runId && context.step.startedAt && context.step.intent) {
		const found = await findRunStartedSince(context.provider, target.job, new Date(context.step.startedAt));
		if (found) {
			runId = found.id;
			await context.handle('jobRunId', found.id);
		}
	}

	if (!runId) {
		return {state: 'not-started' as const};
	}

	const run = await context.provider.getJobRun(target.job.id, runId);
	if (run.status === 'running') {
		return {state: 'in-flight' as const, note: `job run ${run.id} still running`};
	}

	return run.status === 'success' ? {state: 'done' as const, note: `job run ${run.id} succeeded`} : {state: 'done' as const, note: `job run ${run.id} ${run.rawStatus}: verify decides`};
}

async function migrationPreconditions(context: StepContext, target: DeploymentTarget): Promise<Finding[]> {
	const findings: Finding[] = [];
	const backup = context.journal.facts.backup;
	const overridden = context.journal.facts.overrides?.some(override => override.gate === 'backup-readable');
	if (!overridden && backup?.level !== 'readable' && backup?.level !== 'verified') {
		findings.push({level: 'block', check: 'backup', message: `No readable backup in this run (${backup ? `${backup.id} is ${backup.level}` : 'none taken'}).`, hint: 'Take and check a backup first; the migrate step needs it.'});
	}

	const database = await databaseFindings(await databaseConnection(context.provider, target), {exceptPids: ownLockPids(context.journal.runId)});
	findings.push(...database.filter(finding => finding.level !== 'ok'));
	const runs = await context.provider.listJobRuns(target.job.id, 5);
	const running = runs.find(run => run.status === 'running' && run.id !== context.step.handles?.jobRunId);
	if (running) {
		findings.push({level: 'block', check: 'job', message: `Job ${target.job.name} already has a run going (${running.id}).`, hint: 'Wait for it to finish, or abort it on the platform.'});
	}

	return findings;
}

export function isMigrationClean(journal: Readonly<Journal>): boolean {
	return journal.facts.migrations?.state === 'clean';
}
