// Render-shaped ids for the sandbox's records (`srv-…`, `dep-…`, `dpg-…`, `job-…`, `evt-…`, `tea-…`):
// a hash of the record's own id, so the same record always has the same Render id and no mapping
// needs to be stored.
import {createHash} from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 20 characters of [0-9a-z] derived from `key`, the length Render's ids have after the prefix. */
export function renderSuffix(key: string, length = 20): string {
	const digest = createHash('sha256').update(key).digest();
	return Array.from(digest.subarray(0, length), byte => alphabet[byte % alphabet.length]).join('');
}

export const renderIds = {
	owner: (teamId: string) => `tea-${renderSuffix(`team:${teamId}`)}`,
	service: (serviceId: string) => `srv-${renderSuffix(`service:${serviceId}`)}`,
	/** An instance is named after its service plus five characters, as on Render. */
	instance: (serviceId: string, containerName: string) => `${renderIds.service(serviceId)}-${renderSuffix(`container:${containerName}`, 5)}`,
	postgres: (addonId: string) => `dpg-${renderSuffix(`addon:${addonId}`)}-a`,
	/** A deploy born from a build keeps the build's id for its whole life; a redeploy of an old build is its rollout. */
	deployOfBuild: (buildId: string) => `dep-${renderSuffix(`build:${buildId}`)}`,
	deployOfRollout: (rolloutId: string) => `dep-${renderSuffix(`rollout:${rolloutId}`)}`,
	job: (runId: string) => `job-${renderSuffix(`run:${runId}`)}`,
	event: (key: string) => `evt-${renderSuffix(`event:${key}`)}`,
	export: (backupId: string) => `exp-${renderSuffix(`backup:${backupId}`)}`,
};
