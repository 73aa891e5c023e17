// Take a backup of the addon on the platform, then prove it is readable (and, if asked, restorable).
import {join} from 'node:path';
import type {Provider} from '../../core/provider.js';
import type {Backup} from '../../core/types.js';
import {backupsDirectory} from '../../infra/state-path.js';
import {databaseConnection} from '../database.js';
import {downloadArchive} from '../download.js';
import {tableCounts, verifyArchive} from '../pg-tools.js';
import {classifyStepError, StepFailedError} from '../step-failure.js';
import type {DeploymentTarget} from '../target.js';
import type {StepContext, StepDefinition} from '../types.js';
import {waitUntil} from '../wait.js';
import {requireFact} from './facts.js';
import {equivalents} from '../equivalents.js';

export type BackupStepOptions = {id?: string; purpose: string; nameSuffix?: string};

export function backupName(runId: string, suffix = ''): string {
	return `wheelhouse-${runId}${suffix}`.toLowerCase();
}

export function takeBackupStep(target: DeploymentTarget, options: BackupStepOptions): StepDefinition {
	const id = options.id ?? 'backup';
	const classify = classifyStepError(id);
	return {
		id,
		title: `Back up ${target.addon.name}`,
		impact: 'mutate',
		preview: journal => ({
			summary: `Back up ${target.addon.name} (a dump) ${options.purpose}, and wait until it completes`,
			details: [`Backup name: ${backupName(journal.runId, options.nameSuffix)}`, 'Row counts of the main tables are taken just before, to check a restore against.'],
			equivalent: equivalents.backup(target),
		}),
		async reconcile(context) {
			const backup = await findOwnBackup(context, target, options.nameSuffix);
			if (!backup) {
				return {state: 'not-started'};
			}

			await context.handle('backupId', backup.id);
			if (backup.status === 'completed') {
				return {state: 'done', note: `backup ${backup.id} completed`};
			}

			return backup.status === 'failed' || backup.status === 'aborted' ? {state: 'failed', reason: `backup ${backup.id} ${backup.rawStatus}`} : {state: 'in-flight', note: `backup ${backup.id} ${backup.rawStatus}`};
		},
		async action(context) {
			const counts = await tableCounts(await databaseConnection(context.provider, target)).catch(() => undefined);
			const backup = await context.provider.createBackup(target.addon.id, {name: backupName(context.journal.runId, options.nameSuffix), kind: 'dump'});
			await context.handle('backupId', backup.id);
			await context.record({backup: {id: backup.id, name: backup.name, method: `${target.platform} addon backup (dump)`, level: 'captured', rowCounts: counts}});
			context.log(`backup ${backup.id} started`);
		},
		async wait(context) {
			const backupId = ownHandle(context);
			const final = await waitUntil(async () => {
				const backup = await context.provider.getBackup(target.addon.id, backupId);
				return backup.status === 'in-progress' || backup.status === 'scheduled' ? undefined : backup;
			}, {what: `backup ${backupId}`, intervalMs: 1500, timeoutMs: 60 * 60 * 1000, signal: context.signal});
			context.log(`backup ${backupId}: ${final.rawStatus}${final.sizeBytes ? `, ${final.sizeBytes} bytes` : ''}`);
		},
		async verify(context) {
			const backupId = ownHandle(context);
			const backup = await context.provider.getBackup(target.addon.id, backupId);
			if (backup.status !== 'completed') {
				throw new StepFailedError(id, 'failed', `Backup ${backupId} ended ${backup.rawStatus}; nothing was migrated or deployed.`);
			}

			const recorded = context.journal.facts.backup;
			await context.record({backup: {...recorded, id: backup.id, name: backup.name, method: recorded?.method ?? `${target.platform} addon backup (dump)`, bytes: backup.sizeBytes, level: recorded?.level ?? 'captured'}});
			return {ok: true, message: `backup ${backup.id} completed (${backup.sizeBytes ?? '?'} bytes)`};
		},
		classify,
		onFailure: () => [
			{id: 'retry', label: 'Try the backup again'},
			{id: 'stop', label: 'Stop here (nothing was migrated or deployed)'},
		],
	};
}

/** Download the archive, list it, hash it; with `restore`, restore it into a scratch database and compare row counts. */
export function verifyBackupStep(target: DeploymentTarget, options: {restore: boolean; require: 'readable' | 'verified'; gate: boolean}): StepDefinition {
	const id = 'verify-backup';
	return {
		id,
		title: options.restore ? 'Verify the backup restores' : 'Check the backup is readable',
		impact: 'read',
		preview: journal => ({
			summary: options.restore
				? 'Download the backup, list it (pg_restore --list), record its SHA-256, restore it into a scratch database and compare row counts'
				: 'Download the backup, list it (pg_restore --list) and record its SHA-256',
			details: [
				journal.facts.backup ? `Backup: ${journal.facts.backup.id}` : 'Backup: the one the previous step takes',
				...(options.gate ? ['The migration cannot run until the backup is at least readable (or you type an override).'] : []),
			],
			equivalent: 'pg_restore --list <archive>; sha256sum <archive>' + (options.restore ? '; createdb scratch && pg_restore -d scratch <archive>' : ''),
		}),
		async reconcile(context) {
			const level = context.journal.facts.backup?.level;
			return level === 'verified' || (level === 'readable' && !options.restore) ? {state: 'done', note: `backup already ${level}`} : {state: 'not-started'};
		},
		async action(context) {
			const backup = requireFact(context.journal, 'backup', id);
			const url = await context.provider.getBackupDownloadUrl(target.addon.id, backup.id);
			const file = join(backupsDirectory(), `${context.journal.runId}-${backup.id}.dump`);
			context.log(`downloading backup ${backup.id}`);
			const downloaded = await downloadArchive(url, file, context.signal);
			context.log(`downloaded ${downloaded.bytes} bytes, sha256 ${downloaded.sha256}`);
			const connection = options.restore ? await databaseConnection(context.provider, target) : undefined;
			const result = await verifyArchive(file, {restoreInto: connection, expectedCounts: backup.rowCounts});
			for (const line of result.lines) {
				context.log(line);
			}

			await context.record({backup: {...backup, path: file, bytes: downloaded.bytes, sha256: downloaded.sha256, level: result.level, tocOk: result.tocOk, restoreTested: result.restoreTested}});
		},
		async verify(context) {
			const backup = requireFact(context.journal, 'backup', id);
			const readable = backup.level === 'readable' || backup.level === 'verified';
			if (backup.level === 'verified' || (readable && options.require === 'readable')) {
				const untested = options.restore && backup.level !== 'verified' ? '; the scratch restore did not confirm it, see the log' : '';
				return {ok: true, message: `backup ${backup.id} is ${backup.level} (sha256 ${backup.sha256?.slice(0, 12)}…)${untested}`};
			}

			if (options.gate && !readable) {
				const phrase = 'migrate without a backup';
				const typed = await context.operator.ask({
					title: `Backup ${backup.id} is not restorable`,
					lines: ['Its archive does not list cleanly, so it could not bring the database back.', `Migrating anyway means no way back for the data. Type "${phrase}" to go on regardless, or cancel to stop.`],
					expect: phrase,
				});
				if (typed === phrase) {
					await context.record({overrides: [...context.journal.facts.overrides ?? [], {gate: 'backup-readable', typed, at: new Date().toISOString()}]});
					return {ok: true, message: `backup ${backup.id} is ${backup.level}; the operator overrode the gate`};
				}
			}

			if (readable) {
				throw new StepFailedError(id, 'failed', `Backup ${backup.id} is readable but not verified: the scratch restore failed or its row counts differ (see the log).`);
			}

			throw new StepFailedError(id, 'failed', `Backup ${backup.id} is not restorable (${backup.level}): its archive does not list cleanly. Nothing was migrated or deployed.`);
		},
		classify: classifyStepError(id),
		onFailure: () => [
			{id: 'retry', label: 'Check the same backup again'},
			{id: 'stop', label: 'Stop here (nothing was migrated or deployed); then take a new backup'},
		],
	};
}

function ownHandle(context: StepContext): string {
	const backupId = context.step.handles?.backupId;
	if (!backupId) {
		throw new StepFailedError('backup', 'unknown', 'The journal has no backup id for this step.');
	}

	return backupId;
}

async function findOwnBackup(context: StepContext, target: DeploymentTarget, suffix?: string): Promise<Backup | undefined> {
	const recorded = context.step.handles?.backupId;
	if (recorded) {
		return context.provider.getBackup(target.addon.id, recorded);
	}

	const name = backupName(context.journal.runId, suffix);
	const backups = await context.provider.listBackups(target.addon.id, 50);
	return backups.find(backup => backup.name === name);
}

export async function latestBackups(provider: Provider, target: DeploymentTarget): Promise<Backup[]> {
	return provider.listBackups(target.addon.id, 20);
}
