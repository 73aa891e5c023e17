// What a runbook acts on, resolved from the context's settings to platform ids before anything runs.
import {UsageError} from '../core/errors.js';
import type {Provider} from '../core/provider.js';
import type {ReleaseSettings} from '../infra/config.js';

export type Named = {id: string; name: string};

export type DeploymentTarget = {
	context: string;
	environment?: string;
	protected: boolean;
	sandbox: boolean;
	platform: string;
	service: Named;
	addon: Named;
	job: Named;
	migrateCommand: string;
	migrationTool: 'django' | 'alembic';
	healthPath: string;
	/** Environment variable with a database URL, when the addon is not reachable directly. */
	databaseUrlEnv?: string;
};

export type TargetContext = {name: string; platform: string; sandbox: boolean; settings: ReleaseSettings};

/** What the target is for: releases need the service, addon, job and a health path; backups only the addon. */
export type TargetPurpose = 'release' | 'backup';

/** Stands in for the service and job of a backup target: backup runbooks read only the addon. */
const notNeeded: Named = {id: '', name: '(not needed for a backup)'};

/** Resolves names or ids of the service, addon and migration job; what is missing is named with the fix. */
export async function resolveTarget(provider: Provider, context: TargetContext, wanted: {service?: string; addon?: string} = {}, purpose: TargetPurpose = 'release'): Promise<DeploymentTarget> {
	const {settings} = context;
	const serviceName = wanted.service ?? settings.service;
	const addonName = wanted.addon ?? settings.addon;
	if (purpose === 'backup') {
		return backupTarget(provider, context, addonName);
	}

	const missing = [
		serviceName === undefined && 'service',
		addonName === undefined && 'addon',
		settings.job === undefined && 'job',
	].filter(Boolean);
	if (missing.length > 0) {
		throw new UsageError(
			`Context "${context.name}" does not say which ${missing.join(', ')} releases use.`,
			`Add ${missing.map(key => `--${key} NAME`).join(' ')} to \`wheelhouse context add ${context.name} …\`, or run \`wheelhouse setup\`.`,
		);
	}

	const [services, addons, jobs] = await Promise.all([provider.listServices(), provider.listAddons(), provider.listJobs()]);
	const service = pick(services, serviceName!, 'service', context.name);
	const addon = pick(addons, addonName!, 'addon', context.name);
	const job = pick(jobs, settings.job!, 'job', context.name);
	const healthPath = settings.healthPath ?? (await provider.getService(service.id)).healthPath;
	if (!healthPath) {
		throw new UsageError(`Service ${service.name} has no health check and context "${context.name}" sets no health path.`, 'Set one with `--health-path /api/health/` on the context, or add a health check to the service.');
	}

	return {
		context: context.name,
		environment: settings.environment,
		protected: settings.protected === true,
		sandbox: context.sandbox,
		platform: context.platform,
		service,
		addon,
		job,
		migrateCommand: settings.migrateCommand ?? (settings.migrationTool === 'alembic' ? 'alembic upgrade head' : 'python manage.py migrate --noinput'),
		migrationTool: settings.migrationTool ?? (settings.migrateCommand?.includes('alembic') ? 'alembic' : 'django'),
		healthPath,
		databaseUrlEnv: settings.databaseUrlEnv,
	};
}

async function backupTarget(provider: Provider, context: TargetContext, addonName: string | undefined): Promise<DeploymentTarget> {
	const {settings} = context;
	if (addonName === undefined) {
		throw new UsageError(`Context "${context.name}" does not say which addon to back up.`, `Name it: \`wheelhouse backup ADDON\`, or add --addon NAME to \`wheelhouse context add ${context.name} …\`.`);
	}

	const addon = pick(await provider.listAddons(), addonName, 'addon', context.name);
	return {
		context: context.name,
		environment: settings.environment,
		protected: settings.protected === true,
		sandbox: context.sandbox,
		platform: context.platform,
		service: notNeeded,
		addon,
		job: notNeeded,
		migrateCommand: settings.migrateCommand ?? '',
		migrationTool: settings.migrationTool ?? 'django',
		healthPath: settings.healthPath ?? '',
		databaseUrlEnv: settings.databaseUrlEnv,
	};
}

function pick<T extends Named>(items: T[], wanted: string, kind: string, context: string): Named {
	const found = items.find(item => item.name === wanted || item.id === wanted);
	if (!found) {
		throw new UsageError(`No ${kind} named "${wanted}" in context "${context}".`, `Known ${kind}s: ${items.map(item => item.name).join(', ') || 'none'}.`);
	}

	return {id: found.id, name: found.name};
}
