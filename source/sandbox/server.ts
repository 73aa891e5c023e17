// The sandbox's HTTP front door: `/v1/...` speaks Northflank's API (auth, rate limit, faults, then the
// route), `/_sandbox/...` is the control surface; WebSocket upgrades go to exec or the live log tails.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {setTimeout as delay} from 'node:timers/promises';
import {ApiError} from './api-error.js';
import {controlRoutes, type ControlContext} from './control.js';
import {handlePublicRequest, isPublicSandboxPath} from './database/public-endpoints.js';
import {isExecRequest, type ExecServer} from './exec/exec-server.js';
import {tooManyRequests} from './fault-injector.js';
import {bearerToken, errorBody, parseJsonBody, readText, sendJson} from './http-io.js';
import type {LogTailServer} from './logs/tail-server.js';
import {northflankRoutes} from './northflank/routes.js';
import {isRenderPath, type RenderFace} from './render/face.js';
import type {RateLimiter, RateWindow} from './rate-limiter.js';
import {matchRoute} from './router.js';
import {withoutTeamScope} from './team-scope.js';
import {maskSecret} from '../infra/redact.js';

export type ServerContext = ControlContext & {limiter: RateLimiter; token: string; tails: LogTailServer; exec: ExecServer; render: RenderFace};

export function createSandboxServer(context: ServerContext): Server {
	const server = createServer((request, response) => {
		handle(context, request, response).catch((error: unknown) => {
			if (!response.headersSent) {
				sendJson(response, 500, errorBody(new ApiError(500, `Internal sandbox error: ${(error as Error).message}`)));
			}
		});
	});
	server.on('upgrade', (request, socket, head) => {
		if (isRenderPath(new URL(request.url ?? '/', 'http://sandbox.localhost').pathname)) {
			context.render.handleUpgrade(request, socket, head);
			return;
		}

		(isExecRequest(request) ? context.exec : context.tails).handleUpgrade(request, socket, head);
	});
	return server;
}

async function handle(context: ServerContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const url = new URL(request.url ?? '/', 'http://sandbox.localhost');
	const {pathname} = url;
	// Render's paths (/v1/services, /v1/owners, /v1/postgres, /v1/logs) never clash with Northflank's.
	if (isRenderPath(pathname)) {
		await context.render.handle(request, response, url);
		return;
	}

	if (pathname === '/v1' || pathname.startsWith('/v1/')) {
		await handleApi(context, request, response, url);
		return;
	}

	// Backup downloads (temporary links) and services' public URLs need no token, as on a platform.
	if (isPublicSandboxPath(pathname)) {
		await handlePublicRequest(context.platform, request, response, pathname);
		return;
	}

	if (pathname.startsWith('/_sandbox/')) {
		await handleControl(context, request, response, pathname.slice('/_sandbox'.length));
		return;
	}

	sendJson(response, 404, errorBody(new ApiError(404, `Nothing at ${pathname}: the API is under /v1, sandbox controls under /_sandbox`)));
}

async function handleApi(context: ServerContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
	const latency = context.faults.latencyMs();
	if (latency > 0) {
		await delay(latency);
	}

	const method = request.method ?? 'GET';
	const token = bearerToken(request);
	const authenticated = token === context.token;
	const budgetKey = authenticated ? token : `anonymous:${request.socket.remoteAddress ?? ''}`;
	let rate: RateWindow | undefined;
	let routeLabel: string | undefined;
	let status = 200;
	try {
		if (!authenticated) {
			rate = context.limiter.take(budgetKey);
			throw new ApiError(401, token === undefined
				? 'Missing API token: send the header "Authorization: Bearer <token>"'
				: 'Invalid API token: it is not valid for this sandbox');
		}

		const storm = context.faults.stormError();
		if (storm) {
			rate = context.limiter.peek(budgetKey);
			throw storm;
		}

		const budget = context.limiter.take(budgetKey);
		rate = budget;
		if (!budget.allowed) {
			throw tooManyRequests(`Rate limit of ${budget.limit} requests per window exceeded; retry in ${budget.resetSeconds} s`, Math.max(1, budget.resetSeconds));
		}

		const injected = context.faults.randomError();
		if (injected) {
			throw injected;
		}

		const path = withoutTeamScope(context.platform.state.team.id, url.pathname.slice('/v1'.length));
		const match = matchRoute(northflankRoutes, method, path);
		if (match.kind === 'none') {
			throw new ApiError(404, `No endpoint ${method} ${url.pathname}`);
		}

		if (match.kind === 'wrong-method') {
			throw new ApiError(405, `${method} is not supported on ${url.pathname}; use ${match.allowed.join(' or ')}`, undefined, {allow: match.allowed.join(', ')});
		}

		routeLabel = `${method} ${match.route.pattern}`;
		const body = method === 'GET' || method === 'HEAD' ? undefined : parseJsonBody(await readText(request));
		const result = await match.route.handler({platform: context.platform, params: match.params, query: url.searchParams, body});
		sendJson(response, 200, result.pagination ? {data: result.data, pagination: result.pagination} : {data: result.data}, rateHeaders(rate));
	} catch (error) {
		const apiError = error instanceof ApiError ? error : new ApiError(500, `Internal sandbox error: ${(error as Error).message}`);
		status = apiError.status;
		sendJson(response, apiError.status, errorBody(apiError), {...rateHeaders(rate), ...apiError.headers});
	} finally {
		context.stats.record({token: authenticated ? maskSecret(token) : 'anonymous', status, route: routeLabel});
	}
}

function rateHeaders(rate: RateWindow | undefined): Record<string, string> {
	return rate
		? {'x-ratelimit-limit': String(rate.limit), 'x-ratelimit-remaining': String(rate.remaining), 'x-ratelimit-reset': String(rate.resetSeconds)}
		: {};
}

async function handleControl(context: ServerContext, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
	try {
		if (bearerToken(request) !== context.token) {
			throw new ApiError(401, 'Sandbox controls need the sandbox token: send "Authorization: Bearer <token>"');
		}

		const method = request.method ?? 'GET';
		const match = matchRoute(controlRoutes, method, path);
		if (match.kind === 'none') {
			throw new ApiError(404, `No sandbox control at /_sandbox${path}; try /_sandbox/info, /stats, /chaos, /fail-next, /log-rate, /drop-ws or /render/ssh-keys`);
		}

		if (match.kind === 'wrong-method') {
			throw new ApiError(405, `${method} is not supported on /_sandbox${path}; use ${match.allowed.join(' or ')}`, undefined, {allow: match.allowed.join(', ')});
		}

		const body = method === 'GET' ? '' : await readText(request);
		sendJson(response, 200, match.route.handler(context, body));
	} catch (error) {
		const apiError = error instanceof ApiError ? error : new ApiError(500, `Internal sandbox error: ${(error as Error).message}`);
		sendJson(response, apiError.status, errorBody(apiError), apiError.headers);
	}
}
