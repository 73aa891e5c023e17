// The world a fresh sandbox starts in, shaped like seed 000: the notechondria Django backend on
// Northflank with a PostgreSQL addon and a migration job, and a few days of release history.
import {IdSource} from './ids.js';
import {rollOut, scheduleBuild} from './schedules.js';
import {
	stateVersion,
	type AddonRecord,
	type BackupRecord,
	type BuildRecord,
	type JobRecord,
	type JobRunRecord,
	type SandboxState,
	type ServiceRecord,
} from './state.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export const seedIds = {
	team: 'sandbox-team',
	project: 'notechondria',
	service: 'notechondria-backend',
	addon: 'notechondria-postgres',
	job: 'notechondria-migrate',
} as const;

const history: Array<{ago: number; message: string; failure?: string; migrates?: boolean}> = [
	{ago: (9 * day) + (4 * hour), message: 'Add Casdoor SSO in shadow mode'},
	{ago: (8 * day) + (2 * hour), message: 'Upload collectstatic output to R2 on every deploy'},
	{ago: (6 * day) + (5 * hour), message: 'Fix CSRF trusted origins for *.code.run'},
	{ago: (5 * day) + hour, message: 'Bump gunicorn to 22.0 and set --timeout 120'},
	{
		ago: (4 * day) + (3 * hour),
		message: 'Add experimental GitHub data-sync push endpoint',
		failure: 'Build failed: step 9/14 RUN python manage.py check --deploy exited with code 1 (ModuleNotFoundError: No module named \'jwt\')',
	},
	{ago: (4 * day) + hour, message: 'Add pyjwt and cryptography for the GitHub sync signer'},
	{ago: (2 * day) + (6 * hour), message: 'Planner: index notes by course and due date (migration 0041)', migrates: true},
	{ago: day + (3 * hour), message: 'Record database latency for /api/health/ (migration 0042)', migrates: true},
];

/**
 * How many built-in migrations (database/builtin-migrations.ts) the oldest seeded build has; each later
 * build has one more, so the deployed build is at 19, the level its database is seeded to, and the
 * next build brings exactly one pending migration.
 */
export const firstSeededMigrationLevel = 12;

/** Commits pushed to main that no build has picked up yet. */
const unbuiltCommits = [
	{ago: 2 * hour, message: 'Notes: add updated_at index (migration 0043)'},
];

export function seedState(options: {seed: number; now: number}): SandboxState {
	const {now} = options;
	const state: SandboxState = {
		version: stateVersion,
		seed: options.seed,
		sequence: 0,
		team: {id: seedIds.team, name: 'Sandbox team'},
		projects: [],
		failNext: {build: 0, 'job-run': 0, deploy: 0, backup: 0, 'backup-corrupt': 0},
	};
	const ids = new IdSource(state);
	const service = seedService(now);
	const addon = seedAddon(now);
	const job = seedJob(now);

	for (const [index, entry] of history.entries()) {
		const build = scheduleBuild({
			id: ids.buildId(),
			branch: service.repository.branch,
			commit: {sha: ids.sha(), message: entry.message},
			at: now - entry.ago,
			phases: {queued: 4000 + ids.int(8000), cloning: 6000 + ids.int(6000), building: (150 + ids.int(150)) * 1000, uploading: 20_000 + ids.int(15_000)},
			failureReason: entry.failure,
		});
		build.migrationLevel = firstSeededMigrationLevel + index;
		service.builds.unshift(build);
		if (build.result === 'SUCCESS') {
			release({service, addon, job, build, ids, migrates: entry.migrates === true});
		}
	}

	service.pendingCommits = unbuiltCommits.map(commit => ({sha: ids.sha(), message: commit.message}));
	service.deployedBuildId = service.rollouts.at(-1)!.buildId;
	job.source.buildId = service.deployedBuildId;
	state.projects.push({
		id: seedIds.project,
		name: 'notechondria',
		description: 'Notechondria Django backend, PostgreSQL and migrations (sandbox)',
		region: 'europe-west',
		createdAt: now - (120 * day),
		services: [service],
		addons: [addon],
		jobs: [job],
	});
	return state;
}

/** What an operator did after each good build: deploy it, and for migration builds back up and migrate first. */
function release(context: {service: ServiceRecord; addon: AddonRecord; job: JobRecord; build: BuildRecord; ids: IdSource; migrates: boolean}): void {
	const {service, addon, job, build, ids, migrates} = context;
	let at = build.concludesAt + (2 * minute);
	if (migrates) {
		addon.backups.unshift(seedBackup(ids, build, at));
		at += 3 * minute;
		job.runs.unshift(seedRun(ids, job, build, at));
		at += 2 * minute;
	}

	rollOut(service, ids, {kind: 'deploy', buildId: build.id, at, containerStart: 35_000, containerStop: 10_000, fails: false});
}

function seedBackup(ids: IdSource, build: BuildRecord, at: number): BackupRecord {
	const name = `pre-release-${build.sha.slice(0, 7)}`;
	return {
		id: name,
		name,
		backupType: 'dump',
		compressionType: 'gz',
		createdAt: at,
		completesAt: at + 40_000 + ids.int(20_000),
		result: 'completed',
		sizeBytes: 46_000_000 + ids.int(4_000_000),
		addonVersion: '16.4',
		simulated: true,
	};
}

function seedRun(ids: IdSource, job: JobRecord, build: BuildRecord, at: number): JobRunRecord {
	return {
		id: ids.uuid(),
		runName: `${job.id}-${ids.hex(24)}`,
		buildId: build.id,
		command: job.docker.customCommand,
		environment: {},
		startedAt: at,
		concludesAt: at + 35_000 + ids.int(20_000),
		result: 'SUCCESS',
	};
}

function seedService(now: number): ServiceRecord {
	return {
		id: seedIds.service,
		name: seedIds.service,
		description: 'Django backend: gunicorn on port 8000',
		serviceType: 'combined',
		createdAt: now - (119 * day),
		deploymentPlan: 'nf-compute-20',
		repository: {
			url: 'https://github.com/notechondria/notechondria',
			projectType: 'github',
			branch: 'main',
			dockerFilePath: '/backend/Dockerfile',
			dockerWorkDir: '/',
		},
		pendingCommits: [],
		instances: 1,
		ports: [{id: 'p01', name: 'p01', internalPort: 8000, protocol: 'HTTP', public: true}],
		healthChecks: [
			{protocol: 'HTTP', type: 'readinessProbe', path: '/api/health/', port: 8000, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3},
			{protocol: 'HTTP', type: 'livenessProbe', path: '/api/health/', port: 8000, initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3},
		],
		docker: {
			configType: 'customCommand',
			customCommand: 'gunicorn notechondria.wsgi:application --chdir /home/notechondria --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY} --timeout 120',
		},
		builds: [],
		deployedBuildId: '',
		rollouts: [],
		containers: [],
	};
}

function seedAddon(now: number): AddonRecord {
	return {
		id: seedIds.addon,
		name: seedIds.addon,
		description: 'PostgreSQL for the notechondria backend',
		type: 'postgresql',
		versionTag: '16',
		createdAt: now - (120 * day),
		replicas: 1,
		storageSizeMb: 4096,
		storageClass: 'ssd',
		planId: 'nf-compute-50',
		tlsEnabled: true,
		externalAccessEnabled: false,
		backups: [],
		restores: [],
	};
}

function seedJob(now: number): JobRecord {
	return {
		id: seedIds.job,
		name: seedIds.job,
		description: 'Runs Django migrations from a chosen build',
		jobType: 'manual',
		createdAt: now - (118 * day),
		deploymentPlan: 'nf-compute-20',
		backoffLimit: 0,
		activeDeadlineSeconds: 600,
		source: {serviceId: seedIds.service, buildId: ''},
		docker: {configType: 'customCommand', customCommand: 'python manage.py migrate --noinput'},
		runs: [],
	};
}
