// The release runbook (Northflank's recommended order, reference §7): record → plan → back up →
// check the backup → migrate from the new build → deploy it → health gate.
import {databasePreflight, buildFindings, platformFindings} from './preflight.js';
import {releaseLockHooks} from './release-lock-hooks.js';
import {takeBackupStep, verifyBackupStep} from './steps/backup-steps.js';
import {deployStep, healthStep} from './steps/deploy-steps.js';
import {migrateStep, planStep} from './steps/migrate-steps.js';
import {recordStep} from './steps/record-step.js';
import type {DeploymentTarget} from './target.js';
import type {Runbook} from './types.js';

export type ReleaseParameters = {build?: string; verifyRestore?: boolean};

export function releaseRunbook(target: DeploymentTarget, parameters: ReleaseParameters): Runbook {
	return {
		kind: 'release',
		title: `Release ${target.service.name}`,
		locks: true,
		lockHooks: releaseLockHooks(target),
		async preflight(context) {
			const [platform, builds, database] = await Promise.all([
				platformFindings(context.provider, target),
				buildFindings(context.provider, target, parameters.build),
				databasePreflight(context.provider, target),
			]);
			return [...builds, ...platform, ...database];
		},
		steps: [
			recordStep(target, parameters.build),
			planStep(target),
			takeBackupStep(target, {purpose: 'before migrating'}),
			verifyBackupStep(target, {restore: parameters.verifyRestore ?? true, require: 'readable', gate: true}),
			migrateStep(target),
			deployStep(target, {id: 'deploy', title: 'Deploy the new build', build: journal => journal.facts.newBuild}),
			healthStep(target),
		],
	};
}
