import {createServer, type Socket} from 'node:net';
import type {SshConnection} from './connect.js';
import {SshError} from './errors.js';
import {describePeer} from './peer.js';

export type TunnelOptions = {
	/** The host and port to reach, as the SSH server sees them (e.g. a database only the bastion can reach). */
	remoteHost: string;
	remotePort: number;
	/** The local port on 127.0.0.1; 0 (default) picks a free one. */
	localPort?: number;
	/** A connection through the tunnel failed (the remote end refused it, or the SSH connection dropped). */
	onError?: (error: SshError) => void;
};

export type SshTunnel = {
	readonly localHost: '127.0.0.1';
	readonly localPort: number;
	/** Stops listening and ends the connections carried. */
	close(): Promise<void>;
};

/** A local port on 127.0.0.1 whose connections are carried through SSH to remoteHost:remotePort. */
export async function openTunnel(connection: SshConnection, options: TunnelOptions): Promise<SshTunnel> {
	const sockets = new Set<Socket>();
	const target = `${options.remoteHost}:${options.remotePort}`;
	const server = createServer(socket => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		socket.pause();
		connection.client.forwardOut('127.0.0.1', socket.remotePort ?? 0, options.remoteHost, options.remotePort, (error, channel) => {
			if (error) {
				socket.destroy();
				options.onError?.(new SshError('tunnel', `${describePeer(connection.target)} cannot reach ${target} for the tunnel: ${error.message.replace(/^\(SSH\) Channel open failure: /, '')}.`, {
					hint: 'Check the host and port as the SSH server sees them.',
					cause: error,
				}));
				return;
			}

			if (socket.destroyed) {
				channel.close();
				return;
			}

			channel.on('error', () => socket.destroy());
			socket.pipe(channel).pipe(socket);
			socket.once('close', () => channel.close());
			channel.once('close', () => socket.destroy());
			socket.resume();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(new SshError(error.code === 'EADDRINUSE' ? 'config' : 'tunnel', error.code === 'EADDRINUSE'
				? `Cannot open the tunnel: local port ${options.localPort} is already in use.`
				: `Cannot open the tunnel: ${error.message}`, {hint: 'Choose another local port, or 0 for any free one.', cause: error}));
		});
		server.listen(options.localPort ?? 0, '127.0.0.1', () => {
			resolve();
		});
	});

	const address = server.address();
	const localPort = typeof address === 'object' && address ? address.port : 0;
	void connection.closed.then(() => {
		server.close();
		for (const socket of sockets) {
			socket.destroy();
		}
	});

	return {
		localHost: '127.0.0.1',
		localPort,
		async close() {
			const stopped = new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			for (const socket of sockets) {
				socket.destroy();
			}

			await stopped;
		},
	};
}
