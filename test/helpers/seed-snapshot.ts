// A dashboard snapshot shaped like the sandbox's seed (seed 000): one combined service, a
// PostgreSQL addon, a migration job and eight builds, one of which failed.
import type {Build, DashboardSnapshot} from '../../source/core/types.js';
import type {LiveState} from '../../source/core/live-state.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** A fixed "now" so ages are the same on every run: 2026-11-22 03:12:40 local time. */
export const seedNow = new Date(2026, 10, 22, 3, 12, 40).getTime();

const history: Array<{id: string; ago: number; message: string; failed?: boolean}> = [
	{id: 'joyous-view-6290', ago: (9 * day) + (4 * hour), message: 'Add Casdoor SSO in shadow mode'},
	{id: 'brave-river-1187', ago: (8 * day) + (2 * hour), message: 'Upload collectstatic output to R2 on every deploy'},
	{id: 'calm-meadow-3304', ago: (6 * day) + (5 * hour), message: 'Fix CSRF trusted origins for *.code.run'},
	{id: 'eager-falcon-4471', ago: (5 * day) + hour, message: 'Bump gunicorn to 22.0 and set --timeout 120'},
	{id: 'fuzzy-harbor-5012', ago: (4 * day) + (3 * hour), message: 'Add experimental GitHub data-sync push endpoint', failed: true},
	{id: 'gentle-lantern-6620', ago: (4 * day) + hour, message: 'Add pyjwt and cryptography for the GitHub sync signer'},
	{id: 'happy-maple-7733', ago: (2 * day) + (6 * hour), message: 'Planner: index notes by course and due date (migration 0041)'},
	{id: 'jolly-orbit-8845', ago: day + (3 * hour), message: 'Record database latency for /api/health/ (migration 0042)'},
];

const sha = (index: number): string => `${(index + 1).toString(16).repeat(2)}c0ffee${index}`.padEnd(40, 'a');

export function seedBuilds(now = seedNow): Build[] {
	return history.map((entry, index): Build => ({
		id: entry.id,
		sha: sha(index),
		branch: 'main',
		message: entry.message,
		status: entry.failed ? 'failure' : 'success',
		rawStatus: entry.failed ? 'FAILURE' : 'SUCCESS',
		createdAt: new Date(now - entry.ago),
		concludedAt: new Date(now - entry.ago + (4 * minute) + (12 * 1000)),
	})).reverse();
}

export function seedSnapshot(now = seedNow): DashboardSnapshot {
	const builds = seedBuilds(now);
	const deployed = builds[0]!;
	return {
		project: {id: 'notechondria', name: 'notechondria', region: 'europe-west'},
		services: [{
			id: 'notechondria-backend',
			name: 'notechondria-backend',
			kind: 'combined',
			deployment: {status: 'completed', rawStatus: 'COMPLETED', reason: 'Deployment is healthy', since: new Date(now - day)},
			build: {status: 'success', rawStatus: 'SUCCESS', since: deployed.concludedAt},
			paused: false,
			instances: 1,
			deployedSha: deployed.sha,
			deployedBuildId: deployed.id,
			branch: 'main',
			repository: 'github.com/notechondria/notechondria',
			ports: [{name: 'p01', port: 8000, protocol: 'HTTP', public: true}],
			healthPath: '/api/health/',
			containers: [{name: 'notechondria-backend-78b4d4459d-x7k2p', status: 'running', rawStatus: 'TASK_RUNNING', createdAt: new Date(now - day)}],
			health: 'healthy',
			healthReason: '1 of 1 containers running',
		}],
		addons: [{
			id: 'notechondria-postgres',
			name: 'notechondria-postgres',
			type: 'postgresql',
			version: '16',
			status: 'running',
			rawStatus: 'running',
			storageMb: 4096,
			replicas: 1,
			lastBackup: {id: 'backup-nightly-1122', name: 'nightly-2026-11-22', status: 'completed', rawStatus: 'completed', kind: 'dump', sizeBytes: 18_400_000, createdAt: new Date(now - (3 * hour)), completedAt: new Date(now - (3 * hour) + minute)},
			backups: [
				{id: 'backup-nightly-1122', name: 'nightly-2026-11-22', status: 'completed', rawStatus: 'completed', kind: 'dump', sizeBytes: 18_400_000, createdAt: new Date(now - (3 * hour)), completedAt: new Date(now - (3 * hour) + minute)},
				{id: 'backup-pre-release-0042', name: 'pre-release-0042', status: 'completed', rawStatus: 'completed', kind: 'dump', sizeBytes: 18_100_000, createdAt: new Date(now - day - (3 * hour)), completedAt: new Date(now - day - (3 * hour) + minute)},
			],
		}],
		jobs: [{
			id: 'notechondria-migrate',
			name: 'notechondria-migrate',
			kind: 'manual',
			suspended: false,
			lastRun: {id: 'run-0042', name: 'migrate-0042', status: 'success', rawStatus: 'SUCCESS', startedAt: new Date(now - day - (2 * hour)), concludedAt: new Date(now - day - (2 * hour) + (40 * 1000))},
			runs: [
				{id: 'run-0042', name: 'migrate-0042', status: 'success', rawStatus: 'SUCCESS', startedAt: new Date(now - day - (2 * hour)), concludedAt: new Date(now - day - (2 * hour) + (40 * 1000))},
				{id: 'run-0041', name: 'migrate-0041', status: 'success', rawStatus: 'SUCCESS', startedAt: new Date(now - (2 * day) - (5 * hour)), concludedAt: new Date(now - (2 * day) - (5 * hour) + (35 * 1000))},
			],
		}],
		builds: {'notechondria-backend': builds},
	};
}

/** A LiveState with the seed snapshot, refreshed 4 seconds before `now`. */
export function seedLiveState(now = seedNow): LiveState {
	return {
		snapshot: seedSnapshot(now),
		updatedAt: new Date(now - 4000),
		loading: false,
		transitioning: false,
		requests: 37,
		budget: {limit: 1000, remaining: 963, resetAt: new Date(now + (40 * minute))},
	};
}
