import type {ExecutionContext} from 'ava';
import {startSandbox, type SandboxHandle, type SandboxOptions} from '../../source/sandbox/index.js';

export const project = 'notechondria';
export const service = 'notechondria-backend';
export const addon = 'notechondria-postgres';
export const job = 'notechondria-migrate';

export const servicePath = `/v1/projects/${project}/services/${service}`;
export const addonPath = `/v1/projects/${project}/addons/${addon}`;
export const jobPath = `/v1/projects/${project}/jobs/${job}`;

/** A clock the test moves by hand. */
export class FakeClock {
	t = Date.UTC(2026, 0, 15, 12, 0, 0);
	readonly now = () => this.t;

	advance(ms: number): void {
		this.t += ms;
	}
}

// Response bodies are asserted field by field, so the tests read them untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Reply<T = Json> = {status: number; headers: Headers; body: T};

export type Client = {
	sandbox: SandboxHandle;
	get<T = Json>(path: string, options?: {token?: string | null}): Promise<Reply<T>>;
	post<T = Json>(path: string, body?: unknown, options?: {token?: string | null}): Promise<Reply<T>>;
	delete<T = Json>(path: string): Promise<Reply<T>>;
	request<T = Json>(method: string, path: string, init?: {body?: string; token?: string | null}): Promise<Reply<T>>;
};

/** Starts a sandbox for one test (closed when the test ends) and a small fetch client for it. */
export async function sandboxFor(t: ExecutionContext, options: SandboxOptions = {}): Promise<Client> {
	// Tests that need the addon's real database ask for one; the rest skip its initdb.
	const sandbox = await startSandbox({port: 0, database: 'simulated', ...options});
	t.teardown(async () => sandbox.close());
	const request = async <T>(method: string, path: string, init: {body?: string; token?: string | null} = {}): Promise<Reply<T>> => {
		const token = init.token === undefined ? sandbox.token : init.token;
		const response = await fetch(`${sandbox.url}${path}`, {
			method,
			headers: {
				...(token === null ? {} : {authorization: `Bearer ${token}`}),
				...(init.body === undefined ? {} : {'content-type': 'application/json'}),
			},
			body: init.body,
		});
		const text = await response.text();
		return {status: response.status, headers: response.headers, body: (text === '' ? undefined : JSON.parse(text)) as T};
	};

	return {
		sandbox,
		request,
		get: async (path, options = {}) => request('GET', path, {token: options.token}),
		post: async (path, body, options = {}) => request('POST', path, {body: body === undefined ? undefined : JSON.stringify(body), token: options.token}),
		delete: async path => request('DELETE', path),
	};
}

// Every enum value the reference (northflank-api.md §2) documents; the sandbox may use no other.
export const documented = {
	buildStatus: ['QUEUED', 'PENDING', 'UNSCHEDULABLE', 'STARTING', 'CLONING', 'BUILDING', 'UPLOADING', 'ABORTED', 'FAILURE', 'SUBMISSION_FAILURE', 'SUCCESS', 'CRASHED', 'IN_PROGRESS'],
	deploymentStatus: ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED'],
	deploymentReason: ['SCALING', 'DEPLOYING'],
	containerStatus: ['TASK_RUNNING', 'TASK_STARTING', 'TASK_STAGING', 'TASK_KILLING', 'TASK_KILLED', 'TASK_FAILED', 'TASK_FINISHED'],
	addonStatus: ['preDeployment', 'triggerAllocation', 'allocating', 'postDeployment', 'running', 'paused', 'scaling', 'upgrading', 'resetting', 'backup', 'restore', 'failed', 'error', 'errorAllocating', 'deleting', 'deleted'],
	backupStatus: ['scheduled', 'in-progress', 'completed', 'aborting', 'aborted', 'failed', 'not-supported'],
	backupSourceType: ['fileUpload', 'liveInstance', 'snapshot', 'externalDump', 'sameAddon'],
	jobRunStatus: ['SUCCESS', 'RUNNING', 'FAILED'],
	serviceType: ['combined', 'build', 'deployment'],
	jobType: ['manual', 'cron'],
} as const;

export const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
