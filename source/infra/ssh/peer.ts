import type {SshHop} from './route.js';

/** A host of a connection, as messages and the UI name it. */
export type SshPeer = {name: string; host: string; port: number; user: string};

export function peerOf(hop: SshHop): SshPeer {
	return {name: hop.name, host: hop.host, port: hop.port, user: hop.user};
}

/** `bastion (10.0.0.5:22)` for an alias, `10.0.0.5:2222` for a plain host. */
export function describePeer(peer: SshPeer): string {
	const address = `${peer.host}:${peer.port}`;
	return peer.name === peer.host ? address : `${peer.name} (${address})`;
}

/** `10.0.0.5:2222 via bastion (…)`: where a hop is, and the bastions on the way. */
export function describeRoute(peer: SshPeer, via: readonly SshPeer[]): string {
	return via.length === 0 ? describePeer(peer) : `${describePeer(peer)} via ${via.map(bastion => describePeer(bastion)).join(' → ')}`;
}

/** The OpenSSH command that reaches the same host, for hints (`ssh alias`, `ssh -J … -p 2222 user@host`). */
export function openSshCommand(peer: SshPeer, via: readonly SshPeer[]): string {
	if (peer.name !== peer.host) {
		return `ssh ${peer.name}`;
	}

	const jumps = via.map(bastion => bastion.name === bastion.host ? `${bastion.user}@${bastion.host}${bastion.port === 22 ? '' : `:${bastion.port}`}` : bastion.name);
	return ['ssh', ...(jumps.length > 0 ? ['-J', jumps.join(',')] : []), ...(peer.port === 22 ? [] : ['-p', String(peer.port)]), `${peer.user}@${peer.host}`].join(' ');
}
