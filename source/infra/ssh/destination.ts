import {UsageError} from '../../core/errors.js';

/** A host as written by the operator or in ProxyJump: `[user@]host[:port]`, `ssh://…`, or a Host alias. */
export type SshEndpoint = {host: string; user?: string; port?: number};

const destinationHint = 'Write it as user@host, user@host:port, ssh://user@host:port or a Host alias from ~/.ssh/config.';

export function parseDestination(text: string): SshEndpoint {
	const trimmed = text.trim();
	const withoutScheme = trimmed.startsWith('ssh://') ? trimmed.slice('ssh://'.length).replace(/\/$/, '') : trimmed;
	const at = withoutScheme.lastIndexOf('@');
	const user = at === -1 ? undefined : withoutScheme.slice(0, at);
	const {host, port} = splitHostAndPort(withoutScheme.slice(at + 1), trimmed);
	if (user === '') {
		throw new UsageError(`The SSH destination "${trimmed}" has an empty user name.`, destinationHint);
	}

	if (!host || host.startsWith('-') || /[\s/\\'"`$;&|<>]/.test(host)) {
		throw new UsageError(`The SSH destination "${trimmed}" does not name a host.`, destinationHint);
	}

	return {host, ...(user === undefined ? {} : {user}), ...(port === undefined ? {} : {port})};
}

function splitHostAndPort(text: string, original: string): {host: string; port?: number} {
	if (text.startsWith('[')) {
		const close = text.indexOf(']');
		const rest = close === -1 ? '' : text.slice(close + 1);
		if (close === -1 || (rest !== '' && !rest.startsWith(':'))) {
			throw new UsageError(`The SSH destination "${original}" has an unclosed "[".`, destinationHint);
		}

		return {host: text.slice(1, close), ...(rest ? {port: parsePort(rest.slice(1), original)} : {})};
	}

	const colons = text.split(':').length - 1;
	if (colons !== 1) {
		// No colon, or a bare IPv6 address.
		return {host: text};
	}

	const [host = '', port = ''] = text.split(':');
	return {host, port: parsePort(port, original)};
}

export function parsePort(text: string, where: string): number {
	const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
	if (!(port >= 1 && port <= 65_535)) {
		throw new UsageError(`The port "${text}" in ${where} is not a port number (1–65535).`, destinationHint);
	}

	return port;
}

/** `host`, or `[host]:port` when the port is not 22: how OpenSSH names a host in known_hosts and messages. */
export function hostWithPort(host: string, port: number): string {
	return port === 22 ? host : `[${host}]:${port}`;
}
