import ky, {isHTTPError, isNetworkError, isTimeoutError, type KyInstance} from 'ky';
import {ProviderError} from '../core/errors.js';
import {RateBudgetTracker, retryAfterSeconds} from './rate-budget.js';

export type HttpClientOptions = {
	baseUrl: string;
	token: string;
	/** Product name shown in errors: "Northflank", "Render", "the sandbox". */
	platformName: string;
	/** The address the user gave, for messages (baseUrl has the API's path on it). */
	displayUrl?: string;
	/** Per-attempt timeout. */
	timeoutMs?: number;
	/** GET retries on network errors and 5xx. */
	retries?: number;
	/** Longest Retry-After we wait for inside one call; longer waits fail fast as rate-limited. */
	maxRetryAfterSeconds?: number;
	userAgent?: string;
};

export type HttpClient = {
	get<T>(path: string, searchParams?: Record<string, string | number | undefined>): Promise<T>;
	post<T>(path: string, body?: unknown): Promise<T>;
	patch<T>(path: string, body: unknown): Promise<T>;
	delete<T>(path: string): Promise<T>;
	readonly budget: RateBudgetTracker;
};

/** Extracts a human message from an error body: Northflank `{error:{message}}`, Render `{message}`. */
export type ErrorBodyReader = (body: unknown) => string | undefined;

const readCommonErrorBody: ErrorBodyReader = body => {
	if (typeof body !== 'object' || body === null) {
		return undefined;
	}

	const record = body as {error?: {message?: unknown}; message?: unknown};
	if (typeof record.error?.message === 'string') {
		return record.error.message;
	}

	return typeof record.message === 'string' ? record.message : undefined;
};

/**
 * The one HTTP client of a platform: timeouts, GETs retried with backoff on network errors and 5xx,
 * 429 honoured through Retry-After / x-ratelimit-reset, and mutations never retried unless the
 * platform refused them with 429 (nothing happened, so sending again is safe).
 */
export function createHttpClient(options: HttpClientOptions, readErrorBody: ErrorBodyReader = readCommonErrorBody): HttpClient {
	const budget = new RateBudgetTracker();
	const maxRetryAfter = options.maxRetryAfterSeconds ?? 15;
	const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;

	const instance: KyInstance = ky.create({
		baseUrl,
		timeout: options.timeoutMs ?? 10_000,
		headers: {
			authorization: `Bearer ${options.token}`,
			'user-agent': options.userAgent ?? 'wheelhouse',
			accept: 'application/json',
		},
		retry: {
			limit: options.retries ?? 3,
			methods: ['get'],
			statusCodes: [429, 500, 502, 503, 504],
			// Not 503: ky would read Northflank's x-ratelimit-reset (the hourly window) as the wait.
			afterStatusCodes: [429],
			maxRetryAfter: maxRetryAfter * 1000,
			backoffLimit: 4000,
			jitter: true,
			retryOnTimeout: true,
			shouldRetry({error}) {
				if (isHTTPError(error) && error.response.status === 429) {
					// Undefined lets ky wait for Retry-After itself; a longer wait fails fast instead.
					const wait = retryAfterSeconds(error.response.headers);
					return wait !== undefined && wait > maxRetryAfter ? false : undefined;
				}

				return undefined;
			},
		},
		hooks: {
			// Every attempt is a request the platform counts: the first, and each retry.
			beforeRequest: [
				() => {
					budget.countRequest();
				},
			],
			beforeRetry: [
				() => {
					budget.countRequest();
				},
			],
			afterResponse: [
				({response}) => {
					budget.observe(response.headers);
				},
			],
		},
	});

	async function send<T>(method: 'get' | 'post' | 'patch' | 'delete', path: string, init: {searchParams?: Record<string, string | number | undefined>; json?: unknown}): Promise<T> {
		const relative = path.replace(/^\//, '');
		for (let attempt = 0; ; attempt++) {
			try {
				const response = await instance(relative, {
					method,
					searchParams: init.searchParams ? definedOnly(init.searchParams) : undefined,
					json: init.json,
				});
				const text = await response.text();
				return (text === '' ? undefined : JSON.parse(text)) as T;
			} catch (error) {
				const waitSeconds = isHTTPError(error) && error.response.status === 429 ? retryAfterSeconds(error.response.headers) : undefined;
				if (method !== 'get' && waitSeconds !== undefined && waitSeconds <= maxRetryAfter && attempt < 2) {
					await delay(waitSeconds * 1000);
					continue;
				}

				throw toProviderError(error, {method, path, platformName: options.platformName, baseUrl: options.displayUrl ?? options.baseUrl, readErrorBody});
			}
		}
	}

	return {
		get: async <T>(path: string, searchParams?: Record<string, string | number | undefined>) => send<T>('get', path, {searchParams}),
		post: async <T>(path: string, body?: unknown) => send<T>('post', path, {json: body ?? {}}),
		patch: async <T>(path: string, body: unknown) => send<T>('patch', path, {json: body}),
		delete: async <T>(path: string) => send<T>('delete', path, {}),
		budget,
	};
}

/** The innermost reason fetch gives (ECONNREFUSED, ENOTFOUND, "bad port" …). */
function rootCause(error: unknown): string {
	let reason = '';
	let current: unknown = (error as {cause?: unknown}).cause;
	for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
		const {code} = current as {code?: string};
		reason = code ?? (current.message === 'fetch failed' ? reason : current.message);
		current = current.cause;
	}

	return reason;
}

function definedOnly(parameters: Record<string, string | number | undefined>): Record<string, string | number> {
	const result: Record<string, string | number> = {};
	for (const [key, value] of Object.entries(parameters)) {
		if (value !== undefined) {
			result[key] = value;
		}
	}

	return result;
}

async function delay(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

type ErrorContext = {method: string; path: string; platformName: string; baseUrl: string; readErrorBody: ErrorBodyReader};

/** Turns ky's errors into ProviderErrors that say what failed and what to do. Never includes the token. */
export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
	const what = `${context.method.toUpperCase()} ${context.path}`;
	if (isHTTPError(error)) {
		const {status} = error.response;
		const detail = context.readErrorBody(error.data) ?? error.response.statusText;
		const message = `${context.platformName} answered ${status} to ${what}: ${detail}`;
		if (status === 401) {
			return new ProviderError('auth', `${context.platformName} rejected the API token (401).`, {status, hint: 'Check the token: create a new one in the platform\'s team settings and update the context.'});
		}

		if (status === 403) {
			return new ProviderError('forbidden', message, {status, hint: 'The token\'s API role lacks the permission for this; extend the role or use another token.'});
		}

		if (status === 404) {
			return new ProviderError('not-found', message, {status, hint: 'Check the project, service or addon name in the context.'});
		}

		if (status === 429) {
			const wait = retryAfterSeconds(error.response.headers);
			const when = wait === undefined ? 'later' : `in ${Math.ceil(wait)} s`;
			return new ProviderError('rate-limited', `${context.platformName} rate limit reached; try again ${when}.`, {status, hint: 'wheelhouse slows its polling automatically; close other consoles sharing this token.'});
		}

		if (status >= 500) {
			return new ProviderError('server', message, {status, hint: 'The platform is having trouble; wheelhouse keeps retrying.'});
		}

		return new ProviderError('bad-request', message, {status});
	}

	if (isTimeoutError(error)) {
		return new ProviderError('timeout', `${context.platformName} did not answer ${what} in time.`, {hint: 'Check the network to the platform; wheelhouse keeps retrying.'});
	}

	if (isNetworkError(error)) {
		const cause = rootCause(error);
		return new ProviderError('unreachable', `Cannot reach ${context.platformName} at ${context.baseUrl}${cause ? ` (${cause})` : ''}.`, {hint: 'Check the URL and that the server is running, or your network connection.'});
	}

	if (error instanceof SyntaxError) {
		return new ProviderError('protocol', `${context.platformName} sent a response to ${what} that is not JSON.`, {hint: 'Check that the URL points at the platform\'s API.'});
	}

	return new ProviderError('protocol', `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
}
