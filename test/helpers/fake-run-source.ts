// An in-memory runbook run for the runbook screen: tests move it through its states (plan,
// preflight, a step running with a log, a question, a failure) and see what the screen answered.
import type {
	ChoiceRequest, ConfirmRequest, Finding, Journal, JournalStep, RunView, StepImpact, StepStatus,
} from '../../source/runbooks/types.js';
import type {RunSource} from '../../source/ui/runbook/run-source.js';
import {seedNow} from './seed-snapshot.js';

export type FakeRunSource = RunSource & {
	/** Publishes a changed view to subscribers. */
	update(change: (view: RunView) => RunView): void;
	/** Marks a step (and the journal's copy of it): running makes it the current step. */
	step(id: string, status: StepStatus, extra?: Partial<JournalStep>): void;
	/** Appends lines to the current step's log, one publication per line (as an engine might). */
	log(...lines: string[]): void;
	confirm(request: Partial<ConfirmRequest> & {stepId: string}): void;
	choose(request: ChoiceRequest): void;
	ask(request: {title: string; lines: string[]; expect: string}): void;
	preflight(findings: Finding[]): void;
	/** Ends the run with this status. */
	finish(status: Journal['status']): void;
	readonly answers: Array<boolean | string | undefined>;
	readonly stops: number;
	readonly listenerCount: number;
};

const second = 1000;
const at = (offset: number): string => new Date(seedNow + offset).toISOString();

type PlannedStep = {id: string; title: string; impact: StepImpact; summary: string; details?: string[]; equivalent?: string};

/** The release of the seed's service: seven steps, read, mutating and destructive. */
export const releaseSteps: PlannedStep[] = [
	{id: 'preflight', title: 'Preflight checks', impact: 'read', summary: 'Check the build, the database and the lock before anything changes'},
	{id: 'backup', title: 'Back up notechondria-postgres', impact: 'mutate', summary: 'Back up notechondria-postgres (dump) and wait until it completes', details: ['addon: notechondria-postgres', 'timeout: 30m'], equivalent: 'northflank backup addon --projectId notechondria --addonId notechondria-postgres'},
	{id: 'verify-backup', title: 'Verify the backup', impact: 'read', summary: 'List the archive and restore it into a scratch database'},
	{id: 'migrate', title: 'Apply migrations', impact: 'destructive', summary: 'Run notechondria-migrate with build jolly-orbit-8845: 1 migration (0042)', details: ['job: notechondria-migrate', 'plan: planner.0042_latency'], equivalent: 'northflank start job run --jobId notechondria-migrate'},
	{id: 'deploy', title: 'Deploy jolly-orbit-8845', impact: 'mutate', summary: 'Deploy build jolly-orbit-8845 to notechondria-backend and wait for the rollout'},
	{id: 'health', title: 'Check health', impact: 'read', summary: 'GET /api/health/ until three answers in a row are 200'},
	{id: 'record', title: 'Record the release', impact: 'read', summary: 'Write the journal and release the lock'},
];

export function releaseJournal(overrides: Partial<Journal> = {}): Journal {
	return {
		version: 1,
		runId: 'r-20261122-031240',
		kind: 'release',
		status: 'planned',
		context: 'notechondria-prod',
		environment: 'production',
		platform: 'northflank',
		target: {service: {id: 'notechondria-backend', name: 'notechondria-backend'}},
		operator: 'alice',
		host: 'bastion',
		pid: 4242,
		createdAt: at(0),
		updatedAt: at(0),
		parameters: {build: 'jolly-orbit-8845'},
		facts: {},
		steps: releaseSteps.map(step => ({id: step.id, title: step.title, status: 'pending'})),
		events: [],
		...overrides,
	};
}

export function releaseView(journal: Journal = releaseJournal()): RunView {
	return {
		journal,
		plan: releaseSteps.map(step => ({
			id: step.id,
			title: step.title,
			impact: step.impact,
			preview: {summary: step.summary, details: step.details ?? [], equivalent: step.equivalent},
			status: journal.steps.find(candidate => candidate.id === step.id)?.status ?? 'pending',
		})),
		log: [],
		done: false,
	};
}

export function createFakeRunSource(initial: RunView = releaseView(), title?: string): FakeRunSource {
	let view = initial;
	let clock = 0;
	const listeners = new Set<(view: RunView) => void>();
	const answers: Array<boolean | string | undefined> = [];
	let stops = 0;
	const publish = () => {
		for (const listener of listeners) {
			listener(view);
		}
	};

	const update = (change: (view: RunView) => RunView) => {
		view = change(view);
		publish();
	};

	const journalStatus = (status: Journal['status']) => (current: RunView): RunView => ({...current, journal: {...current.journal, status}});

	return {
		title,
		view: () => view,
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		answer(value) {
			answers.push(value);
			update(current => ({...current, pending: undefined}));
		},
		stop() {
			stops++;
		},
		update,
		step(id, status, extra = {}) {
			clock += 30 * second;
			const times: Partial<JournalStep> = status === 'running' ? {startedAt: at(clock)} : (status === 'pending' ? {} : {endedAt: at(clock)});
			update(current => ({
				...journalStatus('running')(current),
				journal: {
					...current.journal,
					status: 'running',
					steps: current.journal.steps.map(step => (step.id === id ? {...step, status, ...times, ...extra} : step)),
				},
				plan: current.plan.map(step => (step.id === id ? {...step, status} : step)),
				currentStepId: status === 'running' ? id : current.currentStepId,
				log: status === 'running' && current.currentStepId !== id ? [] : current.log,
			}));
		},
		log(...lines) {
			for (const line of lines) {
				update(current => ({...current, log: [...current.log, line].slice(-500)}));
			}
		},
		confirm(request) {
			const step = releaseSteps.find(candidate => candidate.id === request.stepId);
			update(current => ({...current, pending: {type: 'confirm', request: {title: `Run "${step?.title ?? request.stepId}"?`, lines: [step?.summary ?? ''], impact: step?.impact ?? 'mutate', ...request}}}));
		},
		choose(request) {
			update(current => ({...current, pending: {type: 'choose', request}}));
		},
		ask(request) {
			update(current => ({...current, pending: {type: 'ask', request}}));
		},
		preflight(findings) {
			update(current => ({...current, preflight: findings}));
		},
		finish(status) {
			update(current => ({...current, done: true, currentStepId: undefined, journal: {...current.journal, status, endedAt: at(clock + second)}}));
		},
		get answers() {
			return answers;
		},
		get stops() {
			return stops;
		},
		get listenerCount() {
			return listeners.size;
		},
	};
}
