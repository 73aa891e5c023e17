// The runbook commands: release, rollback, backup, restore, resume. Each builds its runbook for the
// connected context, runs it with the engine, prints its progress as plain text and exits 0 when the
// run succeeded, 1 when it failed or was stopped, 2 for bad input.
import {userInfo} from 'node:os';
import type {Connection} from '../cli/connect.js';
import {UsageError} from '../core/errors.js';
import {backupRunbook, restoreRunbook} from '../runbooks/backup.js';
import {createJournal, JournalStore, promptOperator, RunbookRunner, yesOperator, type RunOutcome} from '../runbooks/engine/index.js';
import {releaseRunbook} from '../runbooks/release.js';
import {renderReleaseRunbook} from '../runbooks/render-release.js';
import {rollbackRunbook, type RollbackPlan} from '../runbooks/rollback.js';
import {completedBackup, rollbackPlan} from '../runbooks/rollback-plan.js';
import {resolveTarget, type DeploymentTarget} from '../runbooks/target.js';
import type {Journal, Operator, Runbook} from '../runbooks/types.js';
import {stateDirectory} from '../infra/state-path.js';
import {createRunPrinter} from './run-printer.js';

export type RunFlags = {dryRun: boolean; yes: boolean; confirm?: string};

export type RunbookStreams = {stdin: NodeJS.ReadableStream & {isTTY?: boolean}; stdout: NodeJS.WritableStream & {isTTY?: boolean}};

export type RunbookRequest =
	| {command: 'release'; service?: string; build?: string; run: RunFlags}
	| {command: 'rollback'; service?: string; to?: string; restore?: string; reverseTo?: string; run: RunFlags}
	| {command: 'backup'; addon?: string; verify: boolean; run: RunFlags}
	| {command: 'restore'; addon?: string; backup: string; run: RunFlags}
	| {command: 'resume'; runId?: string; breakLock: boolean; run: RunFlags};

export function operatorName(): string {
	return process.env.WHEELHOUSE_OPERATOR ?? process.env.USER ?? userInfo().username;
}

export async function runRunbookCommand(connection: Connection, request: RunbookRequest, streams: RunbookStreams): Promise<number> {
	const {context} = connection;
	const mutating = !request.run.dryRun;
	if (mutating && context.readOnly) {
		throw new UsageError(`Context "${context.name}" is read-only: \`wheelhouse ${request.command}\` would change the deployment.`, 'Use --dry-run to see the plan, or run it without --read-only in a context that is not read-only.');
	}

	if (mutating && !request.run.yes && !streams.stdin.isTTY) {
		makeOperator(request.run, streams);
	}

	const store = new JournalStore(stateDirectory());
	if (request.command === 'resume') {
		return resume(connection, request, streams, store);
	}

	const target = await resolveTarget(connection.provider, context, {
		service: request.command === 'release' || request.command === 'rollback' ? request.service : undefined,
		addon: request.command === 'backup' || request.command === 'restore' ? request.addon : undefined,
	}, request.command === 'backup' ? 'backup' : 'release');
	const {runbook, parameters} = await planRunbook(connection, target, request, store);
	const journal = createJournal({
		runbook,
		context: context.name,
		environment: context.settings.environment,
		platform: context.sandbox ? `${context.platform} (sandbox)` : context.platform,
		target: targetsOf(runbook, target),
		operator: operatorName(),
		parameters,
	});
	return execute(connection, runbook, journal, request.run, streams, store, target, 'start');
}

/** The runbook a request asks for on this context's platform, and the parameters its journal keeps to rebuild it. */
export async function planRunbook(connection: Pick<Connection, 'provider' | 'context'>, target: DeploymentTarget, request: Exclude<RunbookRequest, {command: 'resume'}>, store: JournalStore): Promise<{runbook: Runbook; parameters: Journal['parameters']}> {
	switch (request.command) {
		case 'release': {
			// Render migrates in the deploy's pre-deploy phase; there --build names the commit to deploy.
			if (connection.context.platform === 'render') {
				return {runbook: renderReleaseRunbook(target, {commit: request.build}), parameters: {commit: request.build}};
			}

			return {runbook: releaseRunbook(target, {build: request.build}), parameters: {build: request.build}};
		}

		case 'rollback': {
			const plan = await rollbackPlan(connection.provider, connection.context.name, target, request, store);
			return {runbook: rollbackRunbook(target, plan), parameters: rollbackParameters(plan)};
		}

		case 'backup': {
			return {runbook: backupRunbook(target, {verify: request.verify}), parameters: {verify: request.verify}};
		}

		case 'restore': {
			const backup = await completedBackup(connection.provider, target, request.backup);
			return {runbook: restoreRunbook(target, backup), parameters: {backup: backup.id, backupCreatedAt: backup.createdAt?.toISOString()}};
		}
	}
}

function rollbackParameters(plan: RollbackPlan): Journal['parameters'] {
	return {
		from: plan.from.buildId,
		fromSha: plan.from.sha,
		to: plan.to?.buildId,
		toSha: plan.to?.sha,
		restore: plan.restore?.id,
		restoreCreatedAt: plan.restore?.createdAt?.toISOString(),
		reverseTo: plan.reverseTo,
	};
}

function rollbackFromParameters(parameters: Journal['parameters']): RollbackPlan {
	const text = (key: string) => typeof parameters[key] === 'string' ? parameters[key] : undefined;
	return {
		from: {buildId: text('from') ?? '', sha: text('fromSha')},
		to: text('to') ? {buildId: text('to')!, sha: text('toSha')} : undefined,
		restore: text('restore') ? {id: text('restore')!, createdAt: text('restoreCreatedAt') ? new Date(text('restoreCreatedAt')!) : undefined} : undefined,
		reverseTo: text('reverseTo'),
	};
}

function targetsOf(runbook: Runbook, target: DeploymentTarget): Journal['target'] {
	if (runbook.kind === 'backup' || runbook.kind === 'restore') {
		return {addon: target.addon};
	}

	return {service: target.service, addon: target.addon, job: target.job};
}

/** Rebuilds the runbook of an unfinished run from its journal, and lets the engine finish it. */
async function resume(connection: Connection, request: Extract<RunbookRequest, {command: 'resume'}>, streams: RunbookStreams, store: JournalStore): Promise<number> {
	const {context} = connection;
	let journal: Journal | undefined;
	if (request.runId) {
		journal = await store.load(request.runId);
	} else {
		journal = (await store.findUnfinished(context.name))[0];
		if (!journal) {
			streams.stdout.write(`No unfinished run in context ${context.name}.\n`);
			return 0;
		}
	}

	if (journal.context !== context.name) {
		throw new UsageError(`Run ${journal.runId} belongs to context "${journal.context}", not "${context.name}".`, `Run \`wheelhouse --context ${journal.context} resume ${journal.runId}\`.`);
	}

	const target = await resolveTarget(connection.provider, context, {service: journal.target.service?.id, addon: journal.target.addon?.id}, journal.kind === 'backup' ? 'backup' : 'release');
	const runbook = runbookOf(journal, target);
	if (request.breakLock) {
		await breakStaleLock(connection, journal, request.run, streams, store);
	}

	return execute(connection, runbook, journal, request.run, streams, store, target, 'resume');
}

export function runbookOf(journal: Journal, target: DeploymentTarget): Runbook {
	const {parameters} = journal;
	switch (journal.kind) {
		case 'release': {
			if (target.platform === 'render') {
				return renderReleaseRunbook(target, {commit: typeof parameters.commit === 'string' ? parameters.commit : undefined});
			}

			return releaseRunbook(target, {build: typeof parameters.build === 'string' ? parameters.build : undefined});
		}

		case 'rollback': {
			return rollbackRunbook(target, rollbackFromParameters(parameters));
		}

		case 'backup': {
			return backupRunbook(target, {verify: parameters.verify === true});
		}

		case 'restore': {
			const createdAt = typeof parameters.backupCreatedAt === 'string' ? new Date(parameters.backupCreatedAt) : undefined;
			return restoreRunbook(target, {id: String(parameters.backup), createdAt});
		}
	}
}

async function breakStaleLock(connection: Connection, journal: Journal, flags: RunFlags, streams: RunbookStreams, store: JournalStore): Promise<void> {
	const {ReleaseLock} = await import('../runbooks/engine/index.js');
	const {lockBreakProof} = await import('../runbooks/lock-proof.js');
	const lock = new ReleaseLock(stateDirectory(), store);
	const holder = await lock.holder(journal.context);
	if (!holder) {
		streams.stdout.write(`No release lock is held in context ${journal.context}.\n`);
		return;
	}

	const target = await resolveTarget(connection.provider, connection.context, {service: journal.target.service?.id, addon: journal.target.addon?.id});
	const proof = await lockBreakProof(connection.provider, target);
	for (const finding of proof) {
		streams.stdout.write(`  ${finding.level.toUpperCase().padEnd(5)} ${finding.check}: ${finding.message}\n`);
	}

	const operator = makeOperator(flags, streams);
	const typed = await operator.ask({title: `Break the release lock of ${journal.context}?`, lines: [`Held by run ${holder.runId} (${holder.operator}@${holder.host}, pid ${holder.pid}) since ${holder.acquiredAt}.`, 'Only break it when nothing of that run still goes on.'], expect: journal.context});
	await lock.break(journal.context, {proof, typed: typed ?? '', operator: operator.name});
	streams.stdout.write(`Lock of run ${holder.runId} broken and journalled.\n`);
}

function makeOperator(flags: RunFlags, streams: RunbookStreams): Operator & {close?(): void} {
	if (flags.yes || flags.dryRun) {
		return yesOperator({name: operatorName(), confirmText: flags.confirm});
	}

	if (!streams.stdin.isTTY) {
		throw new UsageError('This command asks before every step that changes something, and there is no terminal to ask on.', 'Run it in a terminal, or pass --yes (and --confirm NAME for destructive steps) to run it unattended.');
	}

	return promptOperator({name: operatorName(), input: streams.stdin, output: streams.stdout});
}

async function execute(connection: Connection, runbook: Runbook, journal: Journal, flags: RunFlags, streams: RunbookStreams, store: JournalStore, target: DeploymentTarget, mode: 'start' | 'resume'): Promise<number> {
	const operator = makeOperator(flags, streams);
	const runner = new RunbookRunner({
		runbook,
		provider: connection.provider,
		operator,
		journal,
		store,
		options: {dryRun: flags.dryRun, yes: flags.yes, confirmText: flags.confirm, protected: target.protected, contextName: target.context},
	});
	const printer = createRunPrinter(text => streams.stdout.write(text), {colour: streams.stdout.isTTY === true && process.env.NO_COLOR === undefined});
	const unsubscribe = runner.subscribe(view => {
		printer.update(view);
	});
	printer.update(runner.view());
	const stopOnSignal = () => {
		streams.stdout.write('\nStopping after the current step (the platform finishes what it started)…\n');
		void runner.stop();
	};

	process.once('SIGINT', stopOnSignal);
	let outcome: RunOutcome;
	try {
		outcome = mode === 'start' ? await runner.start() : await runner.resume();
	} finally {
		process.off('SIGINT', stopOnSignal);
		unsubscribe();
		operator.close?.();
		await store.settled();
	}

	return report(runner.view().journal, outcome, flags, streams, target);
}

function report(journal: Journal, outcome: RunOutcome, flags: RunFlags, streams: RunbookStreams, target: DeploymentTarget): number {
	const write = (line: string) => streams.stdout.write(`${line}\n`);
	if (flags.dryRun) {
		write(outcome.status === 'failed' ? 'Dry run: the preflight blocks this run; nothing was changed.' : 'Dry run: nothing was changed.');
		return outcome.status === 'failed' ? 1 : 0;
	}

	write(`Run ${journal.runId}: ${outcome.status}. Journal: wheelhouse history ${journal.runId}`);
	if (outcome.nextAction) {
		const previous = journal.facts.previousBuild?.buildId;
		const backup = journal.facts.backup?.id;
		const next: Record<string, string> = {
			'rollback-app': `wheelhouse rollback ${target.service.name}${previous ? ` --to ${previous}` : ''}`,
			'restore-backup': `wheelhouse rollback ${target.service.name}${backup ? ` --restore ${backup}` : ''}`,
			'reverse-migrate': `wheelhouse rollback ${target.service.name} --reverse-to APP.MIGRATION`,
		};
		write(`Next: ${next[outcome.nextAction] ?? outcome.nextAction}`);
	} else if (outcome.status === 'interrupted' || outcome.status === 'stopped') {
		write(`Resume it with: wheelhouse resume ${journal.runId}`);
	}

	return outcome.status === 'succeeded' ? 0 : 1;
}
