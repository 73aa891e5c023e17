// Shared by the job-run tests: one real PostgreSQL per test file with a fresh database per test, a
// sandbox on it, and helpers to start a run, wait for it to end and read its log through the API.
import type {ExecutionContext} from 'ava';
import pg from 'pg';
import {startPostgres, type PostgresServer} from '../helpers/postgres.js';
import type {SandboxOptions} from '../../source/sandbox/index.js';
import {seedState} from '../../source/sandbox/seed.js';
import {jobPath, sandboxFor, service, type Client, type Json} from './helpers.js';
import {textOf, type Entry} from './log-helpers.js';

export type TestDatabase = {url: string; connection: {host: string; port: number; database: string; user: string}; query<T = Json>(sql: string, values?: unknown[]): Promise<T[]>};

let server: Promise<PostgresServer> | undefined;
let databases = 0;

/** A new, empty database on the file's PostgreSQL (started on first use, stopped by `stopSharedPostgres`). */
export async function freshDatabase(t: ExecutionContext): Promise<TestDatabase> {
	server ??= startPostgres({database: 'jobs_template'});
	const postgres = await server;
	const name = `jobs_${process.pid}_${++databases}`;
	const admin = new pg.Client({host: postgres.host, port: postgres.port, user: postgres.user, database: 'postgres'});
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const connection = {host: postgres.host, port: postgres.port, database: name, user: postgres.user};
	const clients: pg.Client[] = [];
	t.teardown(async () => {
		await Promise.all(clients.map(async client => client.end().catch(() => undefined)));
	});
	return {
		url: `postgresql://${postgres.user}@${postgres.host}:${postgres.port}/${name}`,
		connection,
		async query<T>(sql: string, values?: unknown[]) {
			const client = new pg.Client(connection);
			clients.push(client);
			await client.connect();
			try {
				return (await client.query(sql, values)).rows as T[];
			} finally {
				await client.end();
			}
		},
	};
}

export async function stopSharedPostgres(): Promise<void> {
	const postgres = await server;
	await postgres?.stop();
}

/** Another session, kept open, for holding locks the way a long transaction or a pg_dump would. */
export async function openSession(t: ExecutionContext, database: TestDatabase): Promise<pg.Client> {
	const client = new pg.Client({...database.connection, application_name: 'test lock holder'});
	await client.connect();
	t.teardown(async () => client.end().catch(() => undefined));
	return client;
}

/** The seeded builds (the same ids every sandbox of seed 1 has), newest first. */
export function seededBuilds(): Array<{id: string; result: string; migrationLevel?: number}> {
	return seedState({seed: 1, now: Date.now()}).projects[0]!.services[0]!.builds;
}

export async function jobSandbox(t: ExecutionContext, database: TestDatabase, options: SandboxOptions = {}): Promise<Client> {
	return sandboxFor(t, {database: {url: database.url}, ...options});
}

/** Starts a run of `command` (on `buildId`, else the job's build) and returns its id. */
export async function startRun(api: Client, command: string, options: {buildId?: string; environment?: Record<string, string>} = {}): Promise<string> {
	const started = await api.post(`${jobPath}/runs`, {
		deployment: {
			...(options.buildId === undefined ? {} : {internal: {id: service, buildId: options.buildId}}),
			docker: {configType: 'customCommand', customCommand: command},
		},
		...(options.environment ? {runtimeEnvironment: options.environment} : {}),
	});
	if (started.status !== 200) {
		throw new Error(`starting the run failed: ${started.status} ${JSON.stringify(started.body)}`);
	}

	return started.body.data.id as string;
}

export async function runStatus(api: Client, runId: string): Promise<Json> {
	return (await api.get(`${jobPath}/runs/${runId}`)).body.data;
}

/** Polls the run until it has concluded; its final view. */
export async function waitForRun(api: Client, runId: string, timeoutMs = 40_000): Promise<Json> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const run = await runStatus(api, runId);
		if (run.concluded) {
			return run;
		}

		if (Date.now() > deadline) {
			throw new Error(`run ${runId} still ${run.status as string} after ${timeoutMs} ms`);
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

/** Polls until `check` holds (for states in between, like a run that is waiting for a lock). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) {
			throw new Error(`condition not met within ${timeoutMs} ms`);
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

/** The run's log through the REST range query, oldest first. */
export async function runLog(api: Client, runId: string): Promise<Entry[]> {
	const reply = await api.get(`${jobPath}/logs?runId=${runId}&direction=forward&startTime=2020-01-01T00:00:00Z&lineLimit=10000`);
	if (reply.status !== 200) {
		throw new Error(`reading the log failed: ${reply.status} ${JSON.stringify(reply.body)}`);
	}

	return reply.body.data as Entry[];
}

/** The run's lines without their sandbox sequence numbers. */
export async function runText(api: Client, runId: string): Promise<string[]> {
	return (await runLog(api, runId)).map(entry => textOf(entry).replace(/ seq=\d+$/, ''));
}
