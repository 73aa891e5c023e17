// The contract of the runbook engine: what a step is, what the journal records, how the operator is
// asked, and what the UI observes. Platform-neutral and UI-neutral: core/ types in, plain data out.
import type {Provider} from '../core/provider.js';

export type RunbookKind = 'release' | 'rollback' | 'backup' | 'restore';

/** What a step does to the world: `read` never changes anything, `destructive` loses data if wrong. */
export type StepImpact = 'read' | 'mutate' | 'destructive';

export type StepPreview = {
	/** One line: "Back up notechondria-postgres (dump) and wait until it completes". */
	summary: string;
	/** Further lines: ids, builds, commands, timeouts. No secrets. */
	details: string[];
	/** The equivalent platform command, e.g. "northflank backup addon --projectId … --addonId …". */
	equivalent?: string;
};

export type FindingLevel = 'ok' | 'info' | 'warn' | 'block';

/** A preflight or precondition result. `block` stops the run before the step's action. */
export type Finding = {
	level: FindingLevel;
	/** Short name: "idle in transaction", "pg_dump running", "target build". */
	check: string;
	message: string;
	/** What the operator can do about a warn/block. */
	hint?: string;
};

/** What reconcile() found out about a step from the real world (platform, database). */
export type Reconciled =
	/** The step's effect is complete: verify it and move on without acting again. */
	| {state: 'done'; note?: string}
	/** The effect was started (by this run) and is still going: wait for it, do not start it again. */
	| {state: 'in-flight'; note?: string}
	/** Nothing of the step happened: it may be (re)started, after confirmation. */
	| {state: 'not-started'; note?: string}
	/** The effect happened and failed (a job run FAILED, a backup failed). */
	| {state: 'failed'; reason: string};

export type Verification = {ok: boolean; message: string; findings?: Finding[]};

/** Classification of a failure, which decides what to offer next (release-safety §5.1.10). */
export type FailureClass =
	/** Nothing changed and it may work later: lock timeout (55P03), a busy addon. */
	| 'retryable'
	/** The step ran and failed cleanly: no partial effect. */
	| 'failed'
	/** The schema may be half-migrated: reconcile before anything else (statement timeout, non-atomic). */
	| 'schema-unknown'
	/** The console could not tell (platform unreachable): re-read state before doing anything. */
	| 'unknown';

export type StepFailure = {stepId: string; class: FailureClass; message: string; detail?: string[]};

/** What the runbook offers after a failure: an action id the caller understands, and a label. */
export type NextAction = {id: 'retry' | 'stop' | 'rollback-app' | 'restore-backup' | 'reverse-migrate' | 'override' | 'reconcile' | string; label: string; explanation?: string};

/** A value a step records in the journal for later steps, resume and audit (ids, builds, hashes). */
export type JournalFacts = {
	previousBuild?: {buildId: string; sha?: string};
	newBuild?: {buildId: string; sha?: string};
	backup?: {
		id: string;
		name?: string;
		method: string;
		bytes?: number;
		sha256?: string;
		/** 'captured' → 'readable' (archive lists) → 'verified' (scratch restore matched). */
		level?: 'captured' | 'readable' | 'verified';
		tocOk?: boolean;
		restoreTested?: boolean;
		rowCounts?: Record<string, number>;
		path?: string;
	};
	migrations?: {
		tool: 'django' | 'alembic' | 'builtin' | 'none';
		before?: string[];
		plan?: string[];
		after?: string[];
		state?: 'clean' | 'dirty' | 'unknown';
		jobRunId?: string;
	};
	preflight?: {findings: Finding[]; at: string};
	deployment?: {buildId: string; requestedAt: string};
	health?: {url: string; result: 'pass' | 'fail'; checks: Array<{at: string; status?: number; ms: number}>};
	restore?: {restoreId: string; backupId: string};
	rollback?: {to?: string; restoreBackup?: string; reverseTo?: string};
	/** An operator override of a safety gate, with the words they typed. */
	overrides?: Array<{gate: string; typed: string; at: string}>;
};

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export type JournalStep = {
	id: string;
	title: string;
	status: StepStatus;
	startedAt?: string;
	endedAt?: string;
	/** Written before the action, so a crash between intent and effect can be reconciled. */
	intent?: string;
	/** Platform handles of the step's effect: backup id, job run id, restore id, build id. */
	handles?: Record<string, string>;
	outcome?: string;
	failure?: StepFailure;
	/** Where its log can be read again: "job notechondria-migrate run <id>", a file path. */
	logRef?: string;
	/** Resume notes: "reconciled: done (backup completed)". */
	notes?: string[];
};

export type RunStatus = 'planned' | 'running' | 'succeeded' | 'failed' | 'stopped' | 'interrupted';

/** One JSON document per run in the state directory (release-safety §5.2). Never holds a secret. */
export type Journal = {
	version: 1;
	runId: string;
	kind: RunbookKind;
	status: RunStatus;
	context: string;
	environment?: string;
	platform: string;
	/** The service or addon the run is about, by id and name. */
	target: {service?: {id: string; name: string}; addon?: {id: string; name: string}; job?: {id: string; name: string}};
	operator: string;
	host: string;
	pid: number;
	createdAt: string;
	updatedAt: string;
	endedAt?: string;
	/** The runbook's parameters as given (--build, --to, --restore …), to rebuild the plan on resume. */
	parameters: Record<string, string | boolean | undefined>;
	lock?: {acquiredAt: string; releasedAt?: string; brokenFrom?: LockHolder};
	facts: JournalFacts;
	steps: JournalStep[];
	/** Free-form audit events: confirmations, stops, lock breaks, resumes. */
	events: Array<{at: string; event: string}>;
};

export type LockHolder = {runId: string; operator: string; host: string; pid: number; acquiredAt: string; kind: RunbookKind; target: string};

/** What a step can use while it runs. */
export type StepContext = {
	provider: Provider;
	/** The run's journal as it stands (read-only view); write through record(). */
	journal: Readonly<Journal>;
	/** This step's journal entry as it stands (handles saved so far, intent, notes). */
	step: Readonly<JournalStep>;
	/** Merges facts into the journal and persists it before returning. */
	record(facts: Partial<JournalFacts>): Promise<void>;
	/** Saves platform handles of this step (backup id, job run id) before waiting on them. */
	handle(key: string, value: string): Promise<void>;
	/** A line for the current step's live log (already plain text; secrets must not be passed). */
	log(line: string): void;
	/** Aborted when the operator stops waiting (the platform operation itself keeps going). */
	signal: AbortSignal;
	/** The operator, for decisions inside a step (override a gate, choose a build). */
	operator: Operator;
};

export type StepDefinition = {
	id: string;
	title: string;
	impact: StepImpact;
	preview(journal: Readonly<Journal>): StepPreview;
	/** Checked before the action; any `block` finding stops the run here. */
	preconditions?(context: StepContext): Promise<Finding[]>;
	/**
	 * Reads the real world to learn whether this step already took effect. Called on resume for the
	 * step that was running, and before every mutating action when the journal has an intent for it.
	 */
	reconcile(context: StepContext): Promise<Reconciled>;
	/** Starts the effect. Records handles before it returns. Must not be called when reconcile says done/in-flight. */
	action(context: StepContext): Promise<void>;
	/** Waits for a long platform operation the action started (also after a resume). */
	wait?(context: StepContext): Promise<void>;
	/** Checks the real outcome; a failed verification fails the step. */
	verify(context: StepContext): Promise<Verification>;
	/** Classifies a thrown error or a failed verification. */
	classify?(error: unknown, context: StepContext): StepFailure;
	/** What to offer when this step fails. */
	onFailure(failure: StepFailure, journal: Readonly<Journal>): NextAction[];
};

export type Runbook = {
	kind: RunbookKind;
	title: string;
	/** Checks run before anything mutates (dry run prints these); `block` refuses the run. */
	preflight(context: StepContext): Promise<Finding[]>;
	steps: StepDefinition[];
	/** Does this runbook need the release lock (every mutating runbook does). */
	locks: boolean;
	/**
	 * A second lock beside the engine's file lock (the database advisory lock): `acquire` runs right
	 * after the file lock is taken (a throw refuses the run and gives the file lock back), `release`
	 * right before the file lock is given back at the end of the run. Not called on a dry run.
	 */
	lockHooks?: {
		acquire(context: StepContext): Promise<void>;
		release(context: StepContext): Promise<void>;
	};
};

export type ConfirmRequest = {
	stepId: string;
	title: string;
	lines: string[];
	impact: StepImpact;
	/** When set, the operator must type exactly this (service or context name) to go on. */
	typeToConfirm?: string;
};

/** `stopLabel`: what stopping here means after this failure; the UI and the prompt always offer it. */
export type ChoiceRequest = {title: string; lines: string[]; actions: NextAction[]; stopLabel?: string};

/** The person at the keyboard, as the engine sees them: the CLI prompts, the TUI dialogs, or --yes. */
export type Operator = {
	readonly name: string;
	/** Resolves false on cancel; dialogs default to Cancel. */
	confirm(request: ConfirmRequest): Promise<boolean>;
	/** Resolves the chosen action id, or undefined for "stop here". */
	choose(request: ChoiceRequest): Promise<string | undefined>;
	/** Asks for typed words (an override); resolves undefined on cancel. */
	ask(request: {title: string; lines: string[]; expect: string}): Promise<string | undefined>;
};

/** Everything the UI draws of a run, as one immutable value, emitted on every change. */
export type RunView = {
	journal: Journal;
	/** Steps in plan order with their previews. */
	plan: Array<{id: string; title: string; impact: StepImpact; preview: StepPreview; status: StepStatus}>;
	currentStepId?: string;
	/** The newest lines of the current step's log (bounded). */
	log: string[];
	preflight?: Finding[];
	/** A question waiting for the operator, if any. */
	pending?: {type: 'confirm'; request: ConfirmRequest} | {type: 'choose'; request: ChoiceRequest} | {type: 'ask'; request: {title: string; lines: string[]; expect: string}};
	done: boolean;
};
