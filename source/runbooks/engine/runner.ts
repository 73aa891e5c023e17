import {UsageError, WheelhouseError} from '../../core/errors.js';
import type {Provider} from '../../core/provider.js';
import {stateDirectory} from '../../infra/state-path.js';
import type {
	FailureClass,
	Finding,
	Journal,
	JournalFacts,
	JournalStep,
	Operator,
	Runbook,
	RunStatus,
	RunView,
	StepContext,
	StepDefinition,
	StepFailure,
	StepPreview,
} from '../types.js';
import {confirmRequest, type ConfirmationPolicy, yesConfirms} from './confirmation.js';
import {classifyFailure, PreconditionBlockedError, VerificationFailedError} from './failure.js';
import {effectiveStatus, targetName} from './journal.js';
import {JournalStore} from './journal-store.js';
import type {Question} from './operators.js';
import {thisHost} from './process-alive.js';
import {redactJson, redactText} from './redact-journal.js';
import {describeHolder, LockHeldError, ReleaseLock} from './release-lock.js';
import {buildView, safePreview, StepLog} from './run-view.js';

export type RunnerOptions = {
	/** Plan and preflight only: no lock, no action, no journal file. */
	dryRun?: boolean;
	/** --yes: confirmations are given without asking, except typed ones of destructive steps (see confirmText). */
	yes?: boolean;
	/** With --yes, the exact name a destructive step's typed confirmation asks for (`--confirm NAME`). */
	confirmText?: string;
	/** Where journals and locks live when no store or lock is given. */
	stateDir?: string;
	/** A protected context asks for its name to be typed before every mutating step. */
	protected?: boolean;
	/** The context's name for typed confirmations; the journal's context by default. */
	contextName?: string;
	/** How many lines of the current step's log RunView.log keeps. */
	logLines?: number;
};

export type RunnerInit = {
	runbook: Runbook;
	provider: Provider;
	operator: Operator;
	/** A new journal (createJournal) for start(), or a loaded one for resume(). */
	journal: Journal;
	store?: JournalStore;
	lock?: ReleaseLock;
	options?: RunnerOptions;
};

/** How a run ended: `nextAction` is the action the operator chose after a failure (not 'retry' or 'stop'). */
export type RunOutcome = {status: RunStatus; nextAction?: string};

type StepResult = {kind: 'succeeded'} | {kind: 'stopped'; reason: string} | {kind: 'failed'; failure: StepFailure};

type StepMode = {retryAfter?: FailureClass};

class StopRequested extends Error {
	constructor() {
		super('The operator stopped the run.');
		this.name = 'StopRequested';
	}
}

const preflightEntry: JournalStep = {id: 'preflight', title: 'Preflight checks', status: 'running'};

/**
 * Runs a runbook step by step: plan, preflight, lock, then for each step preconditions → confirmation →
 * intent (persisted) → action → wait → verify, every transition persisted before the next call, so a
 * process killed at any point leaves a journal that resume() can finish without repeating or skipping an
 * effect. Emits a new frozen RunView on every change.
 */
export class RunbookRunner {
	private readonly runbook: Runbook;
	private readonly provider: Provider;
	private readonly operator: Operator;
	private readonly store: JournalStore;
	private readonly lock: ReleaseLock;
	private readonly options: RunnerOptions;
	private journal: Journal;
	private readonly previews = new Map<string, StepPreview>();
	private readonly stepLog: StepLog;
	private readonly listeners = new Set<(view: RunView) => void>();
	private readonly guardedOperator: Operator;
	private preflightFindings: Finding[] | undefined;
	private pending: RunView['pending'];
	private currentStepId: string | undefined;
	private done = false;
	private snapshot: RunView | undefined;
	private journalCopy: Journal | undefined;
	private active: Promise<RunOutcome> | undefined;
	private stopRequested = false;
	private rejectStop: (reason: StopRequested) => void = () => undefined;
	private readonly stopped: Promise<never>;
	private stepController = new AbortController();
	private lockHeld = false;
	private phase = 'before the first step';

	constructor(init: RunnerInit) {
		this.runbook = init.runbook;
		this.provider = init.provider;
		this.operator = init.operator;
		this.options = init.options ?? {};
		const directory = this.options.stateDir ?? stateDirectory();
		this.store = init.store ?? new JournalStore(directory);
		this.lock = init.lock ?? new ReleaseLock(directory, this.store);
		this.stepLog = new StepLog(this.options.logLines ?? 500);
		this.journal = init.journal;
		this.stopped = new Promise<never>((_resolve, reject) => {
			this.rejectStop = reject;
		});
		this.stopped.catch(() => undefined);
		this.guardedOperator = {
			name: this.operator.name,
			confirm: async request => this.ask({type: 'confirm', request}, async () => this.operator.confirm(request), false),
			choose: async request => this.ask({type: 'choose', request}, async () => this.operator.choose(request), undefined),
			ask: async request => this.ask({type: 'ask', request}, async () => this.operator.ask(request), undefined),
		};
		this.adoptJournal(init.journal);
	}

	view(): RunView {
		this.snapshot ??= buildView({
			journal: this.journal,
			runbook: this.runbook,
			previews: this.previews,
			currentStepId: this.currentStepId,
			log: this.stepLog.snapshot(),
			preflight: this.preflightFindings,
			pending: this.pending,
			done: this.done,
		}, this.journalCopy ??= redactJson(this.journal));
		return this.snapshot;
	}

	/** Calls the listener with every new view; returns the function that unsubscribes it. */
	subscribe(listener: (view: RunView) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Runs a new run from its first step. Rejects with LockHeldError when another run holds the context. */
	async start(): Promise<RunOutcome> {
		if (this.journal.steps.some(step => step.status !== 'pending')) {
			throw new UsageError(`Run ${this.journal.runId} has already started.`, `Resume it with \`wheelhouse resume ${this.journal.runId}\`.`);
		}

		return this.track(async () => this.startRun());
	}

	/** Finishes a run from its journal on disk: reconciles the first unfinished step with the real world first. */
	async resume(): Promise<RunOutcome> {
		if (this.options.dryRun) {
			throw new UsageError('A dry run cannot resume a run.', `Resume run ${this.journal.runId} without --dry-run.`);
		}

		return this.track(async () => this.resumeRun());
	}

	/**
	 * Stops between steps: a wait or a question is given up at once (the platform operation goes on and
	 * a resume picks it up), an action is let finish. Resolves when the run has stopped.
	 */
	async stop(): Promise<void> {
		if (!this.active || this.done) {
			return;
		}

		this.stopRequested = true;
		this.stepController.abort(new StopRequested());
		this.rejectStop(new StopRequested());
		await this.active.catch(() => undefined);
	}

	private async track(run: () => Promise<RunOutcome>): Promise<RunOutcome> {
		if (this.active) {
			throw new WheelhouseError(`Run ${this.journal.runId} was already started by this runner.`);
		}

		this.active = run();
		return this.active;
	}

	private async startRun(): Promise<RunOutcome> {
		const context = this.contextFor(preflightEntry);
		let findings: Finding[];
		try {
			findings = await this.raced(this.runbook.preflight(context));
		} catch (error) {
			if (this.stopRequested) {
				return this.finish('stopped', `stopped by ${this.operator.name} during preflight`);
			}

			await this.finish('failed', `preflight could not run: ${messageOf(error)}`);
			throw error;
		}

		this.preflightFindings = findings;
		this.journal.facts.preflight = {findings, at: now()};
		const blocking = findings.filter(finding => finding.level === 'block');
		if (this.options.dryRun) {
			this.journal.status = blocking.length > 0 ? 'failed' : 'planned';
			this.done = true;
			this.changed();
			return {status: this.journal.status};
		}

		if (blocking.length > 0) {
			return this.finish('failed', `refused by preflight: ${blocking.map(finding => `${finding.check}: ${finding.message}`).join('; ')}`);
		}

		await this.persist();
		await this.takeLock(`started by ${this.operator.name} on ${thisHost()}`, 'fail the run');
		return this.runSteps(0);
	}

	private async resumeRun(): Promise<RunOutcome> {
		const loaded = await this.store.load(this.journal.runId);
		const status = effectiveStatus(loaded);
		if (status === 'running' && loaded.host === thisHost() && loaded.pid !== process.pid) {
			throw new WheelhouseError(`Run ${loaded.runId} is still running (pid ${loaded.pid} on ${loaded.host}).`, {hint: 'Wait for it, or stop it where it runs, then resume.'});
		}

		this.adoptJournal(loaded);
		if (status === 'succeeded') {
			await this.releaseLeftoverLock();
			this.done = true;
			this.changed();
			return {status};
		}

		const was = status === 'interrupted' ? ` (interrupted: pid ${loaded.pid} on ${loaded.host} is gone)` : ` (was ${status})`;
		this.journal.host = thisHost();
		this.journal.pid = process.pid;
		this.journal.endedAt = undefined;
		await this.takeLock(`resumed by ${this.operator.name} on ${thisHost()}${was}`, 'leave the journal');
		const first = this.journal.steps.findIndex(step => step.status !== 'succeeded' && step.status !== 'skipped');
		return this.runSteps(first === -1 ? this.journal.steps.length : first);
	}

	/**
	 * Takes the release lock and the runbook's own (database) lock. A refused start is journalled as
	 * failed; a refused resume leaves the journal as it was (the run is still someone's to finish).
	 */
	private async takeLock(event: string, onRefusal: 'fail the run' | 'leave the journal'): Promise<void> {
		const context = this.contextFor(preflightEntry);
		const refuse = async (error: unknown) => {
			if (onRefusal === 'fail the run') {
				const reason = error instanceof LockHeldError ? `lock held by ${describeHolder(error.holder)}` : messageOf(error);
				await this.finish('failed', `refused: ${reason}`);
			} else {
				if (this.lockHeld) {
					await this.lock.release(this.journal.context, this.journal.runId);
					this.lockHeld = false;
				}

				this.done = true;
				this.changed();
			}

			return error;
		};

		if (this.runbook.locks) {
			const acquiredAt = now();
			try {
				await this.lock.acquire(this.journal.context, {
					runId: this.journal.runId,
					operator: this.operator.name,
					host: thisHost(),
					pid: process.pid,
					acquiredAt,
					kind: this.journal.kind,
					target: targetName(this.journal),
				});
			} catch (error) {
				throw await refuse(error);
			}

			this.lockHeld = true;
			try {
				await this.runbook.lockHooks?.acquire(context);
			} catch (error) {
				throw await refuse(error);
			}

			this.journal.lock = {...this.journal.lock, acquiredAt, releasedAt: undefined};
		}

		this.journal.status = 'running';
		this.event(event);
		await this.persist();
	}

	private async runSteps(from: number): Promise<RunOutcome> {
		let mode: StepMode = {};
		for (let index = from; index < this.runbook.steps.length;) {
			const step = this.runbook.steps[index]!;
			if (this.stopRequested) {
				return this.finish('stopped', `stopped by ${this.operator.name} before ${step.id}`);
			}

			const result = await this.runStep(index, mode);
			if (result.kind === 'succeeded') {
				mode = {};
				index++;
				continue;
			}

			if (result.kind === 'stopped') {
				return this.finish('stopped', result.reason);
			}

			const choice = await this.chooseAfter(step, result.failure);
			if (choice !== 'retry') {
				return this.finish('failed', undefined, choice === 'stop' ? undefined : choice);
			}

			this.journal.status = 'running';
			mode = {retryAfter: result.failure.class};
		}

		return this.finish('succeeded', `succeeded (${this.journal.steps.length} steps)`);
	}

	private async runStep(index: number, mode: StepMode): Promise<StepResult> {
		const definition = this.runbook.steps[index]!;
		const entry = this.journal.steps[index]!;
		if (entry.status === 'succeeded' || entry.status === 'skipped') {
			return {kind: 'succeeded'};
		}

		this.currentStepId = entry.id;
		this.stepController = new AbortController();
		this.stepLog.clear();
		this.changed();
		const context = this.contextFor(entry);
		try {
			let next: 'act' | 'wait' | 'verify' = 'act';
			const cleanRetry = mode.retryAfter === 'retryable' || mode.retryAfter === 'failed';
			if (cleanRetry) {
				this.newAttempt(entry);
			} else if (entry.intent !== undefined) {
				this.phase = `reconciling ${entry.id}`;
				const reconciled = await this.raced(definition.reconcile(context));
				note(entry, `reconciled: ${reconciled.state}${'note' in reconciled && reconciled.note ? ` (${reconciled.note})` : ''}${reconciled.state === 'failed' ? ` (${reconciled.reason})` : ''}`);
				if (reconciled.state === 'failed') {
					if (mode.retryAfter === undefined) {
						throw new WheelhouseError(reconciled.reason);
					}

					this.newAttempt(entry);
				} else if (reconciled.state !== 'not-started') {
					next = reconciled.state === 'done' ? 'verify' : 'wait';
					this.markRunning(entry);
					await this.persist();
				}
			}

			if (next === 'act') {
				const acted = await this.act(definition, entry, context);
				if (acted !== undefined) {
					return acted;
				}

				next = 'wait';
			}

			if (next === 'wait' && definition.wait) {
				this.phase = `waiting for ${entry.id}`;
				await this.raced(definition.wait(context));
			}

			this.phase = `verifying ${entry.id}`;
			const verification = await this.raced(definition.verify(context));
			if (!verification.ok) {
				throw new VerificationFailedError(verification);
			}

			entry.status = 'succeeded';
			entry.endedAt = now();
			entry.outcome = redactText(verification.message);
			delete entry.failure;
			this.phase = `after ${entry.id}`;
			await this.persist();
			return {kind: 'succeeded'};
		} catch (error) {
			if (this.stopRequested) {
				return {kind: 'stopped', reason: this.stopReason()};
			}

			const failure = classifyFailure(definition, error, context);
			entry.status = 'failed';
			entry.endedAt = now();
			entry.failure = failure;
			this.journal.status = 'failed';
			this.event(`${entry.id} failed (${failure.class}): ${failure.message}`);
			await this.persist();
			return {kind: 'failed', failure};
		}
	}

	/** Preconditions, confirmation, intent, action. Undefined when the action ran; a result when it did not. */
	private async act(definition: StepDefinition, entry: JournalStep, context: StepContext): Promise<StepResult | undefined> {
		this.phase = `checking ${entry.id}`;
		const findings = await this.raced(definition.preconditions?.(context) ?? Promise.resolve([]));
		if (findings.some(finding => finding.level === 'block')) {
			throw new PreconditionBlockedError(findings);
		}

		if (definition.impact !== 'read' && !(await this.confirm(definition, entry))) {
			return {kind: 'stopped', reason: this.stopRequested ? this.stopReason() : `${entry.id} not confirmed by ${this.operator.name}`};
		}

		if (this.stopRequested) {
			return {kind: 'stopped', reason: this.stopReason()};
		}

		this.markRunning(entry);
		entry.startedAt = now();
		entry.intent = redactText(this.previewOf(definition).summary);
		this.journal.status = 'running';
		await this.persist();
		this.phase = `starting ${entry.id}`;
		// Not raced against stop: the action records its handles before it returns.
		await definition.action(context);
		if (this.stopRequested) {
			return {kind: 'stopped', reason: `stopped by ${this.operator.name} after starting ${entry.id}; it goes on and a resume waits for it`};
		}

		return undefined;
	}

	private async confirm(definition: StepDefinition, entry: JournalStep): Promise<boolean> {
		const preview = this.refreshPreview(definition);
		const request = confirmRequest(definition, preview, this.confirmationPolicy());
		const typed = request.typeToConfirm === undefined ? '' : ` (typed ${request.typeToConfirm})`;
		if (this.options.yes) {
			const given = yesConfirms(request, this.options.confirmText);
			this.event(given
				? `${entry.id} confirmed with --yes by ${this.operator.name}${typed}`
				: `${entry.id} not confirmed: it is destructive and --yes needs the name ${request.typeToConfirm} given as the confirmation text too`);
			return given;
		}

		this.phase = `asking to confirm ${entry.id}`;
		const given = await this.guardedOperator.confirm(request);
		if (!this.stopRequested) {
			this.event(given ? `${entry.id} confirmed by ${this.operator.name}${typed}` : `${entry.id} cancelled by ${this.operator.name}`);
		}

		return given;
	}

	private async chooseAfter(definition: StepDefinition, failure: StepFailure): Promise<string | undefined> {
		let actions;
		try {
			actions = definition.onFailure(failure, this.journal);
		} catch {
			actions = [{id: 'stop', label: 'Stop here'}];
		}

		// Stopping is always offered by whoever asks; the runbook's own "stop" entry only says what it means.
		const stopLabel = actions.find(action => action.id === 'stop')?.label;
		const request = {title: `${definition.title} failed`, lines: [failure.message, ...(failure.detail ?? [])], actions: actions.filter(action => action.id !== 'stop'), ...(stopLabel ? {stopLabel} : {})};
		const choice = this.stopRequested ? undefined : await this.guardedOperator.choose(request);
		const label = actions.find(action => action.id === choice)?.label;
		this.event(choice === undefined || choice === 'stop' ? `${this.operator.name} chose to stop after ${definition.id} failed` : `${this.operator.name} chose ${choice}${label ? ` (${label})` : ''}`);
		await this.persist();
		return choice;
	}

	/** Ends the run: the final status is persisted first, then the locks are given back. */
	private async finish(status: RunStatus, event?: string, nextAction?: string): Promise<RunOutcome> {
		this.journal.status = status;
		this.journal.endedAt = now();
		this.currentStepId = undefined;
		this.pending = undefined;
		if (event) {
			this.event(event);
		}

		await this.persist();
		if (this.lockHeld) {
			await this.releaseLocks();
		}

		this.done = true;
		this.changed();
		return nextAction === undefined ? {status} : {status, nextAction};
	}

	private async releaseLocks(): Promise<void> {
		try {
			await this.runbook.lockHooks?.release(this.contextFor(preflightEntry));
		} catch (error) {
			this.event(`releasing the database lock failed: ${messageOf(error)}`);
		}

		try {
			await this.lock.release(this.journal.context, this.journal.runId);
			this.lockHeld = false;
			if (this.journal.lock) {
				this.journal.lock.releasedAt = now();
			}
		} catch (error) {
			this.event(`releasing the lock failed: ${messageOf(error)}`);
		}

		await this.persist();
	}

	/** A run killed after it succeeded but before it gave its lock back: give it back now. */
	private async releaseLeftoverLock(): Promise<void> {
		const holder = await this.lock.holder(this.journal.context);
		if (holder?.runId === this.journal.runId && (holder.pid === process.pid || this.lock.isStale(holder))) {
			await this.lock.release(this.journal.context, this.journal.runId);
		}
	}

	/** A fresh attempt at a step whose last one failed cleanly: earlier handles move to its notes. */
	private newAttempt(entry: JournalStep): void {
		const handles = Object.entries(entry.handles ?? {}).map(([key, value]) => `${key}=${value}`).join(', ');
		note(entry, `retry: new attempt${handles ? ` (earlier attempt: ${handles})` : ''}`);
		delete entry.handles;
		delete entry.intent;
		delete entry.failure;
		delete entry.endedAt;
		entry.status = 'pending';
	}

	private markRunning(entry: JournalStep): void {
		entry.status = 'running';
		delete entry.endedAt;
		delete entry.outcome;
		if (entry.failure) {
			note(entry, `earlier failure: ${entry.failure.message}`);
			delete entry.failure;
		}

		this.journal.status = 'running';
	}

	private contextFor(entry: JournalStep): StepContext {
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const runner = this;
		const inStep = entry !== preflightEntry;
		return {
			provider: this.provider,
			get journal() {
				return runner.journal;
			},
			get step() {
				return entry;
			},
			async record(facts: Partial<JournalFacts>) {
				Object.assign(runner.journal.facts, facts);
				await runner.persist();
			},
			async handle(key: string, value: string) {
				if (!inStep) {
					throw new Error('handle() records a step\'s platform handles; preflight and lock hooks have no step.');
				}

				entry.handles = {...entry.handles, [key]: value};
				await runner.persist();
			},
			log(line: string) {
				runner.stepLog.push(line);
				runner.changed(false);
			},
			signal: this.stepController.signal,
			operator: this.guardedOperator,
		};
	}

	/** Shows the question as RunView.pending while the operator answers; a stop answers it with `onStop`. */
	private async ask<T>(question: Question, call: () => Promise<T>, onStop: T): Promise<T> {
		if (this.stopRequested) {
			return onStop;
		}

		this.pending = question;
		this.changed(false);
		try {
			return await this.raced(call());
		} catch (error) {
			if (error instanceof StopRequested) {
				return onStop;
			}

			throw error;
		} finally {
			this.pending = undefined;
			this.changed(false);
		}
	}

	private async raced<T>(promise: Promise<T>): Promise<T> {
		return Promise.race([promise, this.stopped]);
	}

	private stopReason(): string {
		return `stopped by ${this.operator.name} while ${this.phase}${this.phase.startsWith('waiting') ? '; the platform operation goes on and a resume picks it up' : ''}`;
	}

	private adoptJournal(journal: Journal): void {
		if (journal.kind !== this.runbook.kind) {
			throw new WheelhouseError(`Run ${journal.runId} is a ${journal.kind}, not a ${this.runbook.kind}.`);
		}

		if (journal.steps.length === 0) {
			journal.steps = this.runbook.steps.map(step => ({id: step.id, title: step.title, status: 'pending'}));
		}

		const recorded = journal.steps.map(step => step.id).join(', ');
		const planned = this.runbook.steps.map(step => step.id).join(', ');
		if (recorded !== planned) {
			throw new WheelhouseError(
				`Run ${journal.runId} was planned with the steps ${recorded}; this runbook has ${planned}.`,
				{hint: 'Finish it with the wheelhouse version that started it.'},
			);
		}

		this.journal = journal;
		this.preflightFindings = journal.facts.preflight?.findings;
		for (const step of this.runbook.steps) {
			this.previews.set(step.id, safePreview(step, journal));
		}

		this.changed();
	}

	private previewOf(definition: StepDefinition): StepPreview {
		return this.previews.get(definition.id) ?? this.refreshPreview(definition);
	}

	/** Previews are built up front and again right before a step is confirmed, with the facts recorded since. */
	private refreshPreview(definition: StepDefinition): StepPreview {
		const preview = safePreview(definition, this.journal);
		this.previews.set(definition.id, preview);
		return preview;
	}

	private confirmationPolicy(): ConfirmationPolicy {
		return {
			protected: this.options.protected === true,
			contextName: this.options.contextName ?? this.journal.context,
			targetName: targetName(this.journal),
		};
	}

	private event(text: string): void {
		this.journal.events.push({at: now(), event: redactText(text)});
	}

	private async persist(): Promise<void> {
		this.journal.updatedAt = now();
		this.changed();
		if (!this.options.dryRun) {
			await this.store.save(this.journal);
		}
	}

	private changed(journalChanged = true): void {
		if (journalChanged) {
			this.journalCopy = undefined;
		}

		this.snapshot = undefined;
		if (this.listeners.size === 0) {
			return;
		}

		const view = this.view();
		for (const listener of this.listeners) {
			try {
				listener(view);
			} catch {
				// A listener's failure is the UI's problem, not the run's.
			}
		}
	}
}

function note(entry: JournalStep, text: string): void {
	entry.notes = [...entry.notes ?? [], redactText(text)];
}

function now(): string {
	return new Date().toISOString();
}

function messageOf(error: unknown): string {
	return redactText(error instanceof Error ? error.message : String(error));
}
