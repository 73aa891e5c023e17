// What a rollback goes back to, decided before it runs: the build named with --to, else the build the
// release that deployed the current one replaced (from the journals); and the backup to restore.
import {UsageError} from '../core/errors.js';
import type {Provider} from '../core/provider.js';
import type {JournalStore} from './engine/index.js';
import type {RollbackPlan} from './rollback.js';
import type {DeploymentTarget} from './target.js';

/** What a rollback goes back to: --to, else the build the release that deployed the current one replaced. */
export async function rollbackPlan(provider: Provider, contextName: string, target: DeploymentTarget, request: {to?: string; restore?: string; reverseTo?: string}, store: JournalStore): Promise<RollbackPlan> {
	const current = await provider.getDeployment(target.service.id);
	if (!current.buildId) {
		throw new UsageError(`${target.service.name} runs no build, so there is nothing to roll back from.`, 'Deploy a build first.');
	}

	const from = {buildId: current.buildId, sha: current.sha};
	const restore = request.restore === undefined ? undefined : await completedBackup(provider, target, request.restore);
	let to: RollbackPlan['to'];
	if (request.to) {
		const build = await provider.getBuild(target.service.id, request.to).catch(() => undefined);
		if (!build) {
			throw new UsageError(`Service ${target.service.name} has no build "${request.to}".`, 'Run `wheelhouse status` to see its builds.');
		}

		if (build.status !== 'success') {
			throw new UsageError(`Build ${build.id} is ${build.rawStatus}; only a successful build can be deployed.`, 'Choose a build with status SUCCESS.');
		}

		if (build.id === from.buildId) {
			throw new UsageError(`Build ${build.id} is the one running now.`, 'Give the build to go back to with --to BUILD.');
		}

		to = {buildId: build.id, sha: build.sha};
	} else {
		to = await previousFromJournals(store, contextName, target, from.buildId);
		if (!to && !restore && !request.reverseTo) {
			throw new UsageError(`No release journal of ${target.service.name} records the build before ${from.buildId}.`, 'Name the build to go back to with --to BUILD (`wheelhouse status` lists builds).');
		}
	}

	return {from, to, restore, reverseTo: request.reverseTo};
}

async function previousFromJournals(store: JournalStore, context: string, target: DeploymentTarget, current: string): Promise<RollbackPlan['to']> {
	const {journals} = await store.list();
	const release = journals.find(journal => journal.kind === 'release' && journal.context === context && journal.target.service?.id === target.service.id
		&& journal.facts.newBuild?.buildId === current && journal.facts.previousBuild?.buildId);
	return release?.facts.previousBuild;
}

export async function completedBackup(provider: Provider, target: DeploymentTarget, backupId: string): Promise<{id: string; createdAt?: Date}> {
	const backup = await provider.getBackup(target.addon.id, backupId).catch(() => undefined);
	if (!backup) {
		throw new UsageError(`Addon ${target.addon.name} has no backup "${backupId}".`, `Run \`wheelhouse backups ${target.addon.name}\` to list them.`);
	}

	if (backup.status !== 'completed') {
		throw new UsageError(`Backup ${backup.id} is ${backup.rawStatus}; only a completed backup can be restored.`, `Run \`wheelhouse backups ${target.addon.name}\` and pick a completed one.`);
	}

	return {id: backup.id, createdAt: backup.createdAt};
}

