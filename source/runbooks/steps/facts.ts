// Reading what earlier steps recorded, with a clear error when a step runs out of order.
import {WheelhouseError} from '../../core/errors.js';
import type {Journal, JournalFacts} from '../types.js';

export function requireFact<K extends keyof JournalFacts>(journal: Readonly<Journal>, key: K, step: string): NonNullable<JournalFacts[K]> {
	const value = journal.facts[key];
	if (value === undefined || value === null) {
		throw new WheelhouseError(`The journal of run ${journal.runId} lacks ${key}, which the ${step} step needs.`, {hint: 'The run was planned by another version or edited by hand; start a new run.'});
	}

	return value as NonNullable<JournalFacts[K]>;
}

export function shortBuild(build: {buildId: string; sha?: string} | undefined, fallback: string): string {
	if (!build) {
		return fallback;
	}

	return build.sha ? `${build.buildId} (${build.sha.slice(0, 7)})` : build.buildId;
}

export const now = (): string => new Date().toISOString();
