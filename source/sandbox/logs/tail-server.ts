// The WebSocket face of the log endpoints: upgrades on the API's HTTP server, one TailSession per
// connection, and the switch that drops them all.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer} from 'ws';
import {ApiError} from '../api-error.js';
import {matchRoute} from '../router.js';
import {withoutTeamScope} from '../team-scope.js';
import {upgradeToTarget} from '../websocket-upgrade.js';
import {logRoutes} from './log-routes.js';
import {TailSession, type TailContext, type TailTarget} from './tail-session.js';

export class LogTailServer {
	private readonly sockets = new WebSocketServer({noServer: true, maxPayload: 64 * 1024});
	private readonly sessions = new Set<TailSession>();

	constructor(private readonly context: TailContext) {}

	/** For the HTTP server's 'upgrade' event. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		upgradeToTarget(this.sockets, request, socket, head, incoming => this.targetOf(incoming), (ws, target) => {
			this.context.stats.webSocketOpened();
			const session: TailSession = new TailSession(ws, this.context, target, () => this.sessions.delete(session));
			this.sessions.add(session);
		});
	}

	/** Drops every live tail now; how many there were. */
	dropAll(): number {
		let dropped = 0;
		for (const session of this.sessions) {
			if (session.drop()) {
				dropped += 1;
			}
		}

		return dropped;
	}

	close(): void {
		for (const session of this.sessions) {
			session.terminate();
		}

		this.sockets.close();
	}

	private targetOf(request: IncomingMessage): TailTarget {
		const url = new URL(request.url ?? '/', 'http://sandbox.localhost');
		const usage = 'live tails are at /v1/projects/{projectId}/{services|jobs|addons}/{id}/logs?queryType=tail (or /build-logs)';
		if (!url.pathname.startsWith('/v1/')) {
			throw new ApiError(404, `No WebSocket endpoint at ${url.pathname}: ${usage}`);
		}

		const path = withoutTeamScope(this.context.platform.state.team.id, url.pathname.slice('/v1'.length));
		const match = matchRoute(logRoutes, 'GET', path);
		if (match.kind !== 'found') {
			throw new ApiError(404, `No log stream at ${url.pathname}: ${usage}`);
		}

		return {
			selector: match.route.handler,
			params: match.params,
			query: url.searchParams,
			route: `WS ${match.route.pattern}`,
			remoteAddress: request.socket.remoteAddress ?? '',
		};
	}
}
