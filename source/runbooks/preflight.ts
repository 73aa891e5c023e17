// Checks before anything mutates (release-safety §5.1.2): the platform is idle where the run will act,
// the builds are what they should be, and the database is reachable and not blocked.
import {WheelhouseError} from '../core/errors.js';
import type {Provider} from '../core/provider.js';
import {databaseConnection} from './database.js';
import {appliedMigrations, databaseFindings} from './pg-tools.js';
import {chooseBuilds} from './steps/record-step.js';
import type {DeploymentTarget} from './target.js';
import type {Finding} from './types.js';

export async function platformFindings(provider: Provider, target: DeploymentTarget): Promise<Finding[]> {
	const findings: Finding[] = [];
	const [service, addon, runs] = await Promise.all([
		provider.getService(target.service.id),
		provider.getAddon(target.addon.id),
		provider.listJobRuns(target.job.id, 5),
	]);
	findings.push(service.deployment.status === 'in-progress' || service.deployment.status === 'pending'
		? {level: 'block', check: 'deployment', message: `${target.service.name} is already deploying (${service.deployment.rawStatus}).`, hint: 'Wait until the deployment completes.'}
		: {level: 'ok', check: 'deployment', message: `${target.service.name} is ${service.deployment.rawStatus}.`});
	findings.push(addon.status === 'running'
		? {level: 'ok', check: 'addon', message: `${target.addon.name} is running.`}
		: {level: 'block', check: 'addon', message: `${target.addon.name} is ${addon.rawStatus}.`, hint: 'Wait until its backup or restore finishes.'});
	const running = runs.find(run => run.status === 'running');
	findings.push(running
		? {level: 'block', check: 'job', message: `${target.job.name} has a run going (${running.id}).`, hint: 'Wait for it, or abort it on the platform.'}
		: {level: 'ok', check: 'job', message: `${target.job.name} is idle.`});
	return findings;
}

export async function buildFindings(provider: Provider, target: DeploymentTarget, wantedBuild: string | undefined): Promise<Finding[]> {
	try {
		const {previous, next} = await chooseBuilds(provider, target, wantedBuild);
		return [
			{level: 'info', check: 'deployed build', message: `${target.service.name} runs ${previous.buildId ?? 'nothing'}${previous.sha ? ` (${previous.sha.slice(0, 7)})` : ''}: the rollback target.`},
			{level: 'ok', check: 'target build', message: `Build ${next.id}${next.sha ? ` (${next.sha.slice(0, 7)})` : ''} is SUCCESS${next.message ? `: ${next.message}` : ''}.`},
		];
	} catch (error) {
		if (error instanceof WheelhouseError) {
			return [{level: 'block', check: 'target build', message: error.message, hint: error.hint}];
		}

		throw error;
	}
}

export async function databasePreflight(provider: Provider, target: DeploymentTarget): Promise<Finding[]> {
	try {
		const connection = await databaseConnection(provider, target);
		// A dump running now matters when the migration starts (its step checks again), not before the backup.
		const findings = (await databaseFindings(connection)).map(finding => finding.level === 'block' && /pg_dump/.test(finding.check)
			? {...finding, level: 'warn' as const, hint: `${finding.hint ?? ''} The migrate step waits for no dump to run.`.trim()}
			: finding);
		const state = await appliedMigrations(connection);
		findings.push({level: 'info', check: 'migrations', message: state.tool === 'none' ? 'No migration table yet.' : `${state.applied.length} ${state.tool} migrations applied; newest ${state.applied.at(-1) ?? 'none'}.`});
		return findings;
	} catch (error) {
		if (error instanceof WheelhouseError) {
			return [{level: 'block', check: 'database', message: error.message, hint: error.hint}];
		}

		throw error;
	}
}
