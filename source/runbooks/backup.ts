// Backup and restore on their own, with the same verification as a release.
import {databasePreflight, platformFindings} from './preflight.js';
import {releaseLockHooks} from './release-lock-hooks.js';
import {takeBackupStep, verifyBackupStep} from './steps/backup-steps.js';
import {restoreStep} from './steps/data-steps.js';
import type {DeploymentTarget} from './target.js';
import type {Runbook} from './types.js';

export function backupRunbook(target: DeploymentTarget, options: {verify: boolean}): Runbook {
	return {
		kind: 'backup',
		title: `Back up ${target.addon.name}`,
		locks: false,
		async preflight(context) {
			const addon = await context.provider.getAddon(target.addon.id);
			return [addon.status === 'running'
				? {level: 'ok', check: 'addon', message: `${target.addon.name} is running.`}
				: {level: 'block', check: 'addon', message: `${target.addon.name} is ${addon.rawStatus}.`, hint: 'Wait until its backup or restore finishes.'}];
		},
		steps: [
			takeBackupStep(target, {purpose: 'on demand'}),
			verifyBackupStep(target, {restore: options.verify, require: options.verify ? 'verified' : 'readable', gate: false}),
		],
	};
}

export function restoreRunbook(target: DeploymentTarget, backup: {id: string; createdAt?: Date}): Runbook {
	return {
		kind: 'restore',
		title: `Restore ${target.addon.name} from ${backup.id}`,
		locks: true,
		lockHooks: releaseLockHooks(target),
		async preflight(context) {
			const [platform, database] = await Promise.all([platformFindings(context.provider, target), databasePreflight(context.provider, target)]);
			return [
				{level: 'warn', check: 'data', message: `Every write since ${backup.createdAt?.toISOString() ?? 'the backup was taken'} is lost.`},
				...platform.filter(finding => finding.check !== 'deployment'),
				...database,
			];
		},
		steps: [
			takeBackupStep(target, {id: 'safety-backup', purpose: 'of the current state, so the restore can be undone', nameSuffix: '-before-restore'}),
			restoreStep(target, backup),
		],
	};
}
