// A service's public URL, emulated: `GET /_sandbox/http/projects/{p}/services/{s}/<path>` answers as
// the notechondria backend would. Its health check path says ok when an instance runs, the database
// answers and the serving build's migrations are all applied; anything else is Django's 404.
import type pg from 'pg';
import {ApiError} from '../api-error.js';
import {containerStatusAt, servingBuildId} from '../lifecycle.js';
import type {SandboxPlatform} from '../platform.js';
import type {BuildRecord, ServiceRecord} from '../state.js';
import {appliedBuiltinCount, builtinMigrationsAt} from './builtin-migrations.js';
import {withSession} from './pg-session.js';

export const healthPathPrefix = '/_sandbox/http/';

export type HealthAnswer = {status: number; body: unknown};

/** How long the app waits for its database before its health check gives up. */
const databaseTimeoutMs = 3000;

export async function answerServiceRequest(platform: SandboxPlatform, pathname: string): Promise<HealthAnswer> {
	const match = /^\/_sandbox\/http\/projects\/([^/]+)\/services\/([^/]+)(\/.*)?$/.exec(pathname);
	if (!match) {
		throw new ApiError(404, `No service at ${pathname}: use /_sandbox/http/projects/{projectId}/services/{serviceId}/<path>`);
	}

	const project = platform.project(safeDecode(match[1]!));
	const service = platform.service(project, safeDecode(match[2]!));
	const path = match[3] ?? '/';
	const t = platform.now();
	const running = service.containers.filter(container => containerStatusAt(container, t)?.status === 'TASK_RUNNING');
	if (running.length === 0) {
		return {status: 503, body: {error: `no running instance of ${service.name}`}};
	}

	if (!service.healthChecks.some(check => check.path === path)) {
		return {status: 404, body: {error: 'Not Found', path}};
	}

	const buildId = servingBuildId(service, t) ?? running[0]!.buildId;
	return checkHealth(platform, service, service.builds.find(build => build.id === buildId));
}

async function checkHealth(platform: SandboxPlatform, service: ServiceRecord, build: BuildRecord | undefined): Promise<HealthAnswer> {
	const {database} = platform;
	if (!database) {
		// A simulated addon has no database to ask: the app is as healthy as its instances.
		return {status: 200, body: {status: 'ok'}};
	}

	try {
		const connection = await withTimeout(database.connection(), databaseTimeoutMs);
		const pending = await withSession(connection, async client => {
			await client.query('select 1');
			return pendingMigrations(platform, client, build);
		}, {connectTimeoutMs: databaseTimeoutMs, statementTimeoutMs: databaseTimeoutMs});
		if (pending) {
			return {status: 500, body: {error: pending}};
		}

		return {status: 200, body: {status: 'ok'}};
	} catch (error) {
		return {status: 503, body: {status: 'unhealthy', error: `OperationalError: ${service.name} cannot reach its database (${firstLine((error as Error).message)})`}};
	}
}

/** What Django would raise when the serving build needs migrations the database does not have yet. */
async function pendingMigrations(platform: SandboxPlatform, client: pg.Client, build: BuildRecord | undefined): Promise<string | undefined> {
	const level = (build as (BuildRecord & {migrationLevel?: number}) | undefined)?.migrationLevel;
	// A build that runs real app code has its own migrations; the built-in set says nothing about them.
	if (level === undefined || (build && platform.jobRunner?.runsRealApp(build.id))) {
		return undefined;
	}

	const needed = builtinMigrationsAt(level);
	const applied = await appliedBuiltinCount(client);
	if (applied >= needed.length) {
		return undefined;
	}

	const next = needed[applied]!;
	const relation = /(?:TABLE|ON|UPDATE)\s+"([^"]+)"/.exec(next.forward[0] ?? '')?.[1] ?? 'django_migrations';
	return `ProgrammingError: relation "${relation}" does not exist (migrations pending: ${applied} of ${needed.length} applied, next ${next.label})`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`no answer within ${ms} ms`));
		}, ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

function firstLine(text: string): string {
	return text.split('\n', 1)[0]!.slice(0, 200);
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
