import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import type {WebSocket, WebSocketServer} from 'ws';
import {ApiError} from './api-error.js';
import {refuseUpgrade} from './http-io.js';

/**
 * Accepts a WebSocket upgrade once its target is known: `targetOf` throws an ApiError for a path that
 * names nothing, and the upgrade is then refused with that HTTP error and the error envelope.
 */
export function upgradeToTarget<T>(sockets: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer, targetOf: (request: IncomingMessage) => T, accept: (ws: WebSocket, target: T) => void): void {
	socket.on('error', () => undefined);
	let target: T;
	try {
		target = targetOf(request);
	} catch (error) {
		refuseUpgrade(socket, error instanceof ApiError ? error : new ApiError(500, `Internal sandbox error: ${(error as Error).message}`));
		return;
	}

	sockets.handleUpgrade(request, socket, head, ws => {
		accept(ws, target);
	});
}
