// Evidence that nothing of a stale run still goes on, before its release lock may be broken.
import type {Provider} from '../core/provider.js';
import {databaseConnection} from './database.js';
import {releaseLockHoldersOf} from './pg-tools.js';
import type {DeploymentTarget} from './target.js';
import type {Finding} from './types.js';

export async function lockBreakProof(provider: Provider, target: DeploymentTarget): Promise<Finding[]> {
	const [service, runs, backups, holders] = await Promise.all([
		provider.getService(target.service.id),
		provider.listJobRuns(target.job.id, 10),
		provider.listBackups(target.addon.id, 10),
		databaseConnection(provider, target).then(async connection => releaseLockHoldersOf(connection)),
	]);
	const running = runs.filter(run => run.status === 'running');
	const inProgress = backups.filter(backup => backup.status === 'in-progress' || backup.status === 'scheduled');
	const deploying = service.deployment.status === 'in-progress' || service.deployment.status === 'pending';
	return [
		holders.length === 0
			? {level: 'ok', check: 'database lock', message: 'No session holds the release lock in the database.'}
			: {level: 'block', check: 'database lock', message: `Held by ${holders.join('; ')}.`, hint: 'That run is alive somewhere: ask its operator.'},
		running.length === 0
			? {level: 'ok', check: 'job runs', message: `${target.job.name} has no run going.`}
			: {level: 'block', check: 'job runs', message: `${target.job.name} runs ${running.map(run => run.id).join(', ')}.`, hint: 'Wait for it to end.'},
		inProgress.length === 0
			? {level: 'ok', check: 'backups', message: `${target.addon.name} has no backup in progress.`}
			: {level: 'block', check: 'backups', message: `Backup ${inProgress.map(backup => backup.id).join(', ')} is in progress.`, hint: 'Wait for it to end.'},
		deploying
			? {level: 'block', check: 'deployment', message: `${target.service.name} is deploying.`, hint: 'Wait for it to end.'}
			: {level: 'ok', check: 'deployment', message: `${target.service.name} is not deploying.`},
	];
}
