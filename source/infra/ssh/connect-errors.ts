import {formatDuration} from '../../core/format.js';
import {SshError} from './errors.js';
import {describePeer, describeRoute, openSshCommand, type SshPeer} from './peer.js';

type Ssh2Error = Error & {level?: string; code?: string; reason?: number | string; description?: string};

/** What failed while reaching one host (directly or through the bastions in `via`), in the operator's terms. */
export function connectError(error: Ssh2Error, peer: SshPeer, via: readonly SshPeer[], attempts: {tried: string[]; serverMethods: readonly string[] | undefined}): SshError {
	const where = describeRoute(peer, via);
	if (error.level === 'client-authentication') {
		const tried = attempts.tried.length > 0 ? attempts.tried.map(line => `  - ${line}`).join('\n') : '  - nothing: no ssh-agent and no key files found';
		const methods = attempts.serverMethods ? ` (the server accepts: ${attempts.serverMethods.join(', ')})` : '';
		return new SshError('auth', `Permission denied for ${peer.user}@${where}${methods}. Tried:\n${tried}`, {
			hint: `Check the user name, and that one of these keys is in ~${peer.user}/.ssh/authorized_keys on ${peer.host}; load a key with ssh-add, or name it with IdentityFile in ~/.ssh/config. \`${openSshCommand(peer, via)}\` should work first.`,
		});
	}

	switch (error.code) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_NONAME': {
			return new SshError('dns', `Cannot resolve the host name "${peer.host}" (DNS lookup failed${error.code === 'EAI_AGAIN' ? ', temporarily' : ''}).`, {
				hint: 'Check the spelling of the host, HostName in ~/.ssh/config, and your network or VPN.',
				cause: error,
			});
		}

		case 'ECONNREFUSED': {
			return new SshError('refused', `Connection refused by ${where}: nothing is listening on port ${peer.port} there.`, {
				hint: 'Check the port (Port in ~/.ssh/config) and that sshd is running on the host.',
				cause: error,
			});
		}

		case 'ETIMEDOUT':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH': {
			return new SshError('unreachable', `Cannot reach ${where} (${error.code}).`, {hint: 'Check the address, your network or VPN, and firewalls.', cause: error});
		}

		default: {
			return new SshError('unreachable', `SSH to ${where} failed: ${error.message}`, {hint: `Try \`${openSshCommand(peer, via)}\` to see whether OpenSSH gets through.`, cause: error});
		}
	}
}

/** A bastion could not open the next connection (OpenSSH answers a direct-tcpip request with a reason). */
export function forwardError(error: Ssh2Error, peer: SshPeer, bastion: SshPeer): SshError {
	const reason = error.message.replace(/^\(SSH\) Channel open failure: /, '');
	if (/refused/i.test(reason)) {
		return new SshError('refused', `Connection refused by ${describePeer(peer)} (reached from the bastion ${describePeer(bastion)}): nothing is listening on port ${peer.port} there.`, {
			hint: 'Check the port (Port in ~/.ssh/config) and that sshd is running on the host.',
			cause: error,
		});
	}

	if (/name or service not known|nodename nor servname|name resolution|no address associated/i.test(reason)) {
		return new SshError('dns', `The bastion ${describePeer(bastion)} cannot resolve the host name "${peer.host}" (${reason}).`, {
			hint: 'Check the spelling of the host and HostName in ~/.ssh/config: the bastion looks the name up, not this machine.',
			cause: error,
		});
	}

	if (/prohibited/i.test(reason)) {
		return new SshError('unreachable', `The bastion ${describePeer(bastion)} does not allow forwarding to ${describePeer(peer)} (${reason}).`, {
			hint: 'The bastion\'s sshd needs AllowTcpForwarding yes (and PermitOpen allowing this host).',
			cause: error,
		});
	}

	return new SshError('unreachable', `The bastion ${describePeer(bastion)} cannot reach ${describePeer(peer)}: ${reason}.`, {
		hint: 'Check the host name and port as the bastion sees them (HostName/Port in ~/.ssh/config).',
		cause: error,
	});
}

export function timeoutError(peer: SshPeer, via: readonly SshPeer[], limitMs: number): SshError {
	return new SshError('timeout', `Timed out after ${limitMs < 1000 ? `${limitMs}ms` : formatDuration(limitMs)} reaching ${describeRoute(peer, via)}: no SSH handshake.`, {
		hint: 'Check the host and port, your network or VPN, and any bastion on the way; ConnectTimeout in ~/.ssh/config sets the limit.',
	});
}
