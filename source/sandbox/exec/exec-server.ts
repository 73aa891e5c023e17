// The WebSocket face of exec: `/v1/command-exec/[teams/{t}/]projects/{p}/{services|jobs|addons}/{id}`
// upgraded on the API's HTTP server, one ExecSession per connection.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer} from 'ws';
import {ApiError} from '../api-error.js';
import {matchRoute} from '../router.js';
import {withoutTeamScope} from '../team-scope.js';
import {upgradeToTarget} from '../websocket-upgrade.js';
import {ExecSession, type ExecServerContext, type ExecTarget} from './exec-session.js';
import {execRoutes} from './exec-targets.js';

const execPrefix = '/v1/command-exec/';

/** Whether an upgrade request is for exec (anything else goes to the log tails). */
export function isExecRequest(request: IncomingMessage): boolean {
	return new URL(request.url ?? '/', 'http://sandbox.localhost').pathname.startsWith(execPrefix);
}

export class ExecServer {
	// Stdin arrives in small chunks; a megabyte is plenty for a paste.
	private readonly sockets = new WebSocketServer({noServer: true, maxPayload: 1024 * 1024});
	private readonly sessions = new Set<ExecSession>();

	constructor(private readonly context: ExecServerContext) {}

	/** For the HTTP server's 'upgrade' event. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		upgradeToTarget(this.sockets, request, socket, head, incoming => this.targetOf(incoming), (ws, target) => {
			const session = new ExecSession(ws, this.context, target);
			this.sessions.add(session);
			void session.ended.then(() => this.sessions.delete(session));
		});
	}

	/** Ends every session, killing its process; resolves once their scratch directories are gone. */
	async close(): Promise<void> {
		const ending = [...this.sessions].map(async session => {
			session.terminate();
			return session.ended;
		});
		this.sockets.close();
		await Promise.all(ending);
	}

	private targetOf(request: IncomingMessage): ExecTarget {
		const url = new URL(request.url ?? '/', 'http://sandbox.localhost');
		const usage = 'exec is at /v1/command-exec/[teams/{teamId}/]projects/{projectId}/{services|jobs|addons}/{id}';
		const path = withoutTeamScope(this.context.platform.state.team.id, url.pathname.slice(execPrefix.length - 1));
		const match = matchRoute(execRoutes, 'GET', path);
		if (match.kind !== 'found') {
			throw new ApiError(404, `No exec endpoint at ${url.pathname}: ${usage}`);
		}

		return {
			finder: match.route.handler,
			params: match.params,
			route: `WS /command-exec${match.route.pattern}`,
			remoteAddress: request.socket.remoteAddress ?? '',
		};
	}
}
