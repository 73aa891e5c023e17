// The sandbox's Render face: Render's `/v1/...` paths (owners, services, postgres, logs) on the same
// server as the Northflank face, with Render's own token, `{id, message}` errors and a per-minute rate
// limit reported in `Ratelimit-*` headers. Both faces show the same world (platform.ts).
import {randomUUID} from 'node:crypto';
import {STATUS_CODES, type IncomingMessage, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import {setTimeout as delay} from 'node:timers/promises';
import {WebSocketServer} from 'ws';
import {maskSecret} from '../../infra/redact.js';
import {ApiError} from '../api-error.js';
import type {SandboxDurations} from '../clock.js';
import {tooManyRequests, type FaultInjector} from '../fault-injector.js';
import {bearerToken, parseJsonBody, readText} from '../http-io.js';
import type {SandboxPlatform} from '../platform.js';
import {RateLimiter, type RateWindow} from '../rate-limiter.js';
import type {RequestStats} from '../request-stats.js';
import {matchRoute} from '../router.js';
import {RenderFaceState} from './face-state.js';
import {optionalTime, selectLogs} from './logs.js';
import {renderRoutes} from './routes.js';
import {SubscribeSession} from './subscribe.js';
import {advancePendingDeploys} from './world.js';

/** A fixed token shaped like Render's API keys; it is no secret and opens nothing real. */
export const defaultRenderToken = 'rnd_sandbox0000000000000000000000';

/** Render: 400 GETs and 30 other requests per minute (api-docs.render.com/reference/rate-limiting). */
export type RenderRateLimit = {reads: number; writes: number; windowSeconds: number};
export const defaultRenderRateLimit: RenderRateLimit = {reads: 400, writes: 30, windowSeconds: 60};

export type RenderFaceOptions = {
	platform: SandboxPlatform;
	faults: FaultInjector;
	stats: RequestStats;
	durations: SandboxDurations;
	token?: string;
	rateLimit?: Partial<RenderRateLimit>;
};

const firstSegments = new Set(['owners', 'services', 'postgres', 'logs']);

/** Whether a path belongs to the Render face (Northflank's are under /v1/projects, /v1/teams, /v1/login...). */
export function isRenderPath(pathname: string): boolean {
	return firstSegments.has(pathname.split('/')[2] ?? '') && pathname.startsWith('/v1/');
}

export class RenderFace {
	readonly token: string;
	/** The sandbox's own address, for services' public URLs; set once the server listens. */
	baseUrl = '';
	/** The SSH gateway's port, for services' sshAddress; set once it listens. */
	sshPort: number | undefined;
	private readonly memo = new RenderFaceState();
	private readonly reads: RateLimiter;
	private readonly writes: RateLimiter;
	private readonly sockets = new WebSocketServer({noServer: true, maxPayload: 64 * 1024});
	private readonly sessions = new Set<SubscribeSession>();
	private readonly advancer: NodeJS.Timeout;
	private readonly windowSeconds: number;

	constructor(private readonly options: RenderFaceOptions) {
		this.token = options.token ?? defaultRenderToken;
		const limit = {...defaultRenderRateLimit, ...options.rateLimit};
		this.windowSeconds = limit.windowSeconds;
		const now = () => options.platform.now();
		this.reads = new RateLimiter(limit.reads, limit.windowSeconds * 1000, now);
		this.writes = new RateLimiter(limit.writes, limit.windowSeconds * 1000, now);
		// Builds started by a deploy roll out when they finish, whether or not anyone asks.
		this.advancer = setInterval(() => {
			this.advance();
		}, 250);
		this.advancer.unref();
	}

	async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
		const {faults, stats, platform} = this.options;
		const latency = faults.latencyMs();
		if (latency > 0) {
			await delay(latency);
		}

		const method = request.method ?? 'GET';
		const token = bearerToken(request);
		const authenticated = token === this.token;
		const limiter = method === 'GET' ? this.reads : this.writes;
		let rate: RateWindow | undefined;
		let routeLabel: string | undefined;
		let status = 200;
		try {
			if (!authenticated) {
				throw new ApiError(401, 'unauthorized: send a valid API key as "Authorization: Bearer <key>"');
			}

			const storm = faults.stormError();
			if (storm) {
				rate = limiter.peek(token);
				throw storm;
			}

			const budget = limiter.take(token);
			rate = budget;
			if (!budget.allowed) {
				throw tooManyRequests(`rate limit of ${budget.limit} requests per ${this.windowSeconds} s exceeded; retry in ${budget.resetSeconds} s`, Math.max(1, budget.resetSeconds));
			}

			const injected = faults.randomError();
			if (injected) {
				throw injected;
			}

			const path = url.pathname.slice('/v1'.length);
			const match = matchRoute(renderRoutes, method, path);
			if (match.kind === 'none') {
				throw new ApiError(404, `no endpoint ${method} ${url.pathname}`);
			}

			if (match.kind === 'wrong-method') {
				throw new ApiError(405, `${method} is not supported on ${url.pathname}; use ${match.allowed.join(' or ')}`, undefined, {allow: match.allowed.join(', ')});
			}

			routeLabel = `${method} ${match.route.pattern}`;
			this.advance();
			const body = method === 'GET' ? undefined : parseJsonBody(await readText(request));
			const t = platform.now();
			const result = await match.route.handler({
				platform,
				memo: this.memo,
				durations: this.options.durations,
				scope: {state: platform.state, memo: this.memo, t, baseUrl: this.baseUrl || `http://${request.headers.host ?? '127.0.0.1'}`, sshPort: this.sshPort},
				params: match.params,
				query: url.searchParams,
				body,
			});
			status = result.status;
			send(response, result.status, result.body, rateHeaders(rate));
		} catch (error) {
			const apiError = error instanceof ApiError ? error : new ApiError(500, `internal sandbox error: ${(error as Error).message}`);
			status = apiError.status;
			send(response, apiError.status, errorBody(apiError), {...rateHeaders(rate), ...apiError.headers});
		} finally {
			stats.record({token: authenticated ? maskSecret(token) : 'anonymous', status, route: routeLabel});
		}
	}

	/** For the server's 'upgrade' event on `/v1/logs/subscribe`. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', () => undefined);
		const url = new URL(request.url ?? '/', 'http://sandbox.localhost');
		const token = bearerToken(request);
		let status = 101;
		let accepted: {selection: ReturnType<typeof selectLogs>; startTime: ReturnType<typeof optionalTime>};
		try {
			if (url.pathname !== '/v1/logs/subscribe') {
				throw new ApiError(404, `no WebSocket endpoint at ${url.pathname}: the live tail is /v1/logs/subscribe`);
			}

			if (token !== this.token) {
				throw new ApiError(401, 'unauthorized: send a valid API key as "Authorization: Bearer <key>" with the upgrade request');
			}

			const budget = this.reads.take(token);
			if (!budget.allowed) {
				throw tooManyRequests(`rate limit of ${budget.limit} requests exceeded; retry in ${budget.resetSeconds} s`, Math.max(1, budget.resetSeconds));
			}

			accepted = {selection: selectLogs(this.options.platform, url.searchParams), startTime: optionalTime(url.searchParams, 'startTime')};
		} catch (error) {
			const apiError = error instanceof ApiError ? error : new ApiError(500, `internal sandbox error: ${(error as Error).message}`);
			status = apiError.status;
			refuse(socket, apiError);
			return;
		} finally {
			this.options.stats.record({token: token === this.token ? maskSecret(token) : 'anonymous', status, route: 'WS /logs/subscribe'});
		}

		this.sockets.handleUpgrade(request, socket, head, ws => {
			const session: SubscribeSession = new SubscribeSession(ws, this.options, accepted.selection, accepted.startTime, () => this.sessions.delete(session));
			this.sessions.add(session);
		});
	}

	/** Drops every live log subscription now; how many there were. */
	dropAll(): number {
		let dropped = 0;
		for (const session of this.sessions) {
			if (session.drop()) {
				dropped += 1;
			}
		}

		return dropped;
	}

	/** Whether the face has suspended the service (sandbox service id). */
	isSuspended(serviceId: string): boolean {
		return this.memo.suspended.has(serviceId);
	}

	close(): void {
		clearInterval(this.advancer);
		for (const session of this.sessions) {
			session.terminate();
		}

		this.sockets.close();
	}

	private advance(): void {
		try {
			advancePendingDeploys({platform: this.options.platform, memo: this.memo, durations: this.options.durations});
		} catch {
			// A build deleted under us (a reloaded state) just stays undeployed.
		}
	}
}

function errorBody(error: ApiError): {id: string; message: string} {
	return {id: randomUUID(), message: error.message};
}

function rateHeaders(rate: RateWindow | undefined): Record<string, string> {
	return rate ? {'ratelimit-limit': String(rate.limit), 'ratelimit-remaining': String(rate.remaining), 'ratelimit-reset': String(rate.resetSeconds)} : {};
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
	if (body === undefined) {
		response.writeHead(status, {...headers, 'content-length': '0'});
		response.end();
		return;
	}

	const text = JSON.stringify(body);
	response.writeHead(status, {...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text))});
	response.end(text);
}

function refuse(socket: Duplex, error: ApiError): void {
	const body = JSON.stringify(errorBody(error));
	socket.end([
		`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
		'Content-Type: application/json; charset=utf-8',
		`Content-Length: ${Buffer.byteLength(body)}`,
		...Object.entries(error.headers).map(([name, value]) => `${name}: ${value}`),
		'Connection: close',
		'',
		body,
	].join('\r\n'));
}
