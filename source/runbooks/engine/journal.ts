import type {Journal, LockHolder, RunStatus, Runbook} from '../types.js';
import {processAlive, thisHost} from './process-alive.js';
import {newRunId} from './run-id.js';

export type NewRun = {
	runbook: Pick<Runbook, 'kind' | 'steps'>;
	context: string;
	environment?: string;
	platform: string;
	target: Journal['target'];
	operator: string;
	parameters?: Journal['parameters'];
	/** Use JournalStore.newRunId() for one no journal has; a fresh random one by default. */
	runId?: string;
	/** The holder of a stale lock this run broke (ReleaseLock.break), kept in `lock.brokenFrom`. */
	lockBrokenFrom?: LockHolder;
	now?: Date;
};

/** The journal of a run that has not started: every step pending, status 'planned'. */
export function createJournal(run: NewRun): Journal {
	const now = (run.now ?? new Date()).toISOString();
	return {
		version: 1,
		runId: run.runId ?? newRunId(run.now),
		kind: run.runbook.kind,
		status: 'planned',
		context: run.context,
		...(run.environment === undefined ? {} : {environment: run.environment}),
		platform: run.platform,
		target: run.target,
		operator: run.operator,
		host: thisHost(),
		pid: process.pid,
		createdAt: now,
		updatedAt: now,
		parameters: run.parameters ?? {},
		...(run.lockBrokenFrom === undefined ? {} : {lock: {acquiredAt: now, brokenFrom: run.lockBrokenFrom}}),
		facts: {},
		steps: run.runbook.steps.map(step => ({id: step.id, title: step.title, status: 'pending'})),
		events: [],
	};
}

export const endedStatuses: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'stopped']);

/**
 * The status as it really is: a run recorded as 'running' whose process is gone from this host was
 * interrupted (kill -9, a dropped SSH session). A run on another host cannot be checked and stays 'running'.
 */
export function effectiveStatus(journal: Pick<Journal, 'status' | 'host' | 'pid'>): RunStatus {
	if (journal.status === 'running' && journal.host === thisHost() && !processAlive(journal.pid)) {
		return 'interrupted';
	}

	return journal.status;
}

/**
 * What the run is about, by name: the addon for a backup or restore, else the service (a release or a
 * rollback). Typed confirmations of destructive steps ask for it; the lock holder names it.
 */
export function targetName(journal: Pick<Journal, 'kind' | 'target' | 'context'>): string {
	const {addon, service, job} = journal.target;
	const addonFirst = journal.kind === 'backup' || journal.kind === 'restore';
	return (addonFirst ? addon?.name ?? service?.name : service?.name ?? addon?.name) ?? job?.name ?? journal.context;
}
