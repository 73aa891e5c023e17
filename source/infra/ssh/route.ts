import {join} from 'node:path';
import type SSHConfig from 'ssh-config';
import {UsageError} from '../../core/errors.js';
import {hostWithPort, parseDestination, parsePort, type SshEndpoint} from './destination.js';
import {expandTokens, type TokenValues} from './tokens.js';

/** One SSH connection to make: a bastion on the way, or the target itself. */
export type SshHop = {
	/** As the operator or ProxyJump named it: a Host alias or a host name. */
	name: string;
	/** Where to connect (HostName). */
	host: string;
	port: number;
	user: string;
	/** Private keys to offer, in order: IdentityFile lines, else OpenSSH's default key files. */
	identityFiles: string[];
	/** IdentitiesOnly yes: only the identity files, not every key in the agent. */
	identitiesOnly: boolean;
	/** IdentityAgent: a socket path, `none`, `$VARIABLE` naming one, or undefined for the default ($SSH_AUTH_SOCK). */
	identityAgent: string | undefined;
	/** The name the host key is filed under in known_hosts: `host`, `[host]:port` or HostKeyAlias. */
	knownHostsName: string;
	/** known_hosts files to read; accepted keys are added to the first. */
	userKnownHostsFiles: string[];
	/** Read-only known_hosts files (/etc/ssh/ssh_known_hosts). */
	globalKnownHostsFiles: string[];
	hashKnownHosts: boolean;
	/** StrictHostKeyChecking yes: an unknown key is refused without asking. */
	neverAskAboutUnknownKeys: boolean;
	connectTimeoutMs: number | undefined;
	keepaliveIntervalMs: number | undefined;
	keepaliveCountMax: number | undefined;
};

export type RouteSettings = {
	config: SSHConfig;
	homeDir: string;
	localUser: string;
	/** Replaces every known_hosts file (reading and writing). */
	knownHostsPath?: string;
};

const maximumHops = 8;
const defaultKeyNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * The connections to make to reach a destination, bastions first and the target last, following
 * ProxyJump as OpenSSH does: for `ProxyJump a,b`, `b` is reached through `a`; a single jump host
 * uses its own ProxyJump from the config.
 */
export function resolveRoute(destination: string, settings: RouteSettings): SshHop[] {
	return chainTo(parseDestination(destination), undefined, settings, [destination]);
}

function chainTo(endpoint: SshEndpoint, proxyJumpOverride: string | undefined, settings: RouteSettings, trail: string[]): SshHop[] {
	if (trail.length > maximumHops) {
		throw new UsageError(`The ProxyJump chain to ${trail[0]} is longer than ${maximumHops} hosts (${trail.join(' → ')}): a loop in ~/.ssh/config?`, 'Check the ProxyJump lines in ~/.ssh/config.');
	}

	const {hop, proxyJump} = hopFor(endpoint, settings);
	const jumps = proxyJumpOverride ?? proxyJump;
	if (!jumps || jumps.toLowerCase() === 'none') {
		return [hop];
	}

	const jumpHosts = jumps.split(',').map(jump => jump.trim()).filter(Boolean);
	const nearest = jumpHosts.at(-1);
	if (!nearest) {
		return [hop];
	}

	const further = jumpHosts.slice(0, -1);
	const bastions = chainTo(parseDestination(nearest), further.length > 0 ? further.join(',') : undefined, settings, [...trail, nearest]);
	return [...bastions, hop];
}

function hopFor(endpoint: SshEndpoint, settings: RouteSettings): {hop: SshHop; proxyJump: string | undefined} {
	const computed = settings.config.compute(
		{Host: endpoint.host, ...(endpoint.user === undefined ? {} : {User: endpoint.user})},
		{ignoreCase: true, matchExec: false},
	);
	const value = (key: string): string | undefined => {
		const found = computed[key];
		return Array.isArray(found) ? found[0] : found;
	};

	const list = (key: string): string[] | undefined => {
		const found = computed[key];
		if (found === undefined) {
			return undefined;
		}

		return (Array.isArray(found) ? found : [found]).flatMap(entry => entry.split(/\s+/)).filter(Boolean);
	};

	const hostName = value('hostname')?.replaceAll(/%(.)/g, (whole, token: string) => token === 'h' ? endpoint.host : (token === '%' ? '%' : whole));
	const host = hostName ?? endpoint.host;
	const configuredPort = value('port');
	const port = endpoint.port ?? (configuredPort === undefined ? 22 : parsePort(configuredPort, `~/.ssh/config (Host ${endpoint.host})`));
	const user = endpoint.user ?? value('user') ?? settings.localUser;
	const tokens: TokenValues = {host, originalHost: endpoint.host, port, remoteUser: user, localUser: settings.localUser, homeDir: settings.homeDir};
	const expand = (path: string): string => expandTokens(path, tokens);

	const configuredKeys = list('identityfile')?.filter(path => path.toLowerCase() !== 'none');
	const identityFiles = configuredKeys && configuredKeys.length > 0
		? configuredKeys.map(path => expand(path))
		: defaultKeyNames.map(name => join(settings.homeDir, '.ssh', name));
	const identityAgent = value('identityagent');
	const hostKeyAlias = value('hostkeyalias');
	const userKnownHostsFiles = settings.knownHostsPath === undefined
		? (list('userknownhostsfile')?.filter(path => path.toLowerCase() !== 'none').map(path => expand(path))
			?? [join(settings.homeDir, '.ssh', 'known_hosts'), join(settings.homeDir, '.ssh', 'known_hosts2')])
		: [settings.knownHostsPath];
	const globalKnownHostsFiles = settings.knownHostsPath === undefined
		? (list('globalknownhostsfile')?.filter(path => path.toLowerCase() !== 'none').map(path => expand(path))
			?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'])
		: [];

	const hop: SshHop = {
		name: endpoint.host,
		host,
		port,
		user,
		identityFiles,
		identitiesOnly: value('identitiesonly')?.toLowerCase() === 'yes',
		identityAgent: identityAgentSetting(identityAgent, expand),
		knownHostsName: hostKeyAlias ?? hostWithPort(host, port),
		userKnownHostsFiles,
		globalKnownHostsFiles,
		hashKnownHosts: value('hashknownhosts')?.toLowerCase() === 'yes',
		neverAskAboutUnknownKeys: value('stricthostkeychecking')?.toLowerCase() === 'yes',
		connectTimeoutMs: seconds(value('connecttimeout'), 'ConnectTimeout', endpoint.host),
		keepaliveIntervalMs: seconds(value('serveraliveinterval'), 'ServerAliveInterval', endpoint.host),
		keepaliveCountMax: count(value('serveralivecountmax'), 'ServerAliveCountMax', endpoint.host),
	};
	return {hop, proxyJump: value('proxyjump')};
}

function identityAgentSetting(configured: string | undefined, expand: (path: string) => string): string | undefined {
	if (configured === undefined || configured.toLowerCase() === 'none' || configured.startsWith('$')) {
		return configured?.toLowerCase() === 'none' ? 'none' : configured;
	}

	return configured === 'SSH_AUTH_SOCK' ? '$SSH_AUTH_SOCK' : expand(configured);
}

function seconds(text: string | undefined, directive: string, host: string): number | undefined {
	const number = count(text, directive, host);
	return number === undefined ? undefined : number * 1000;
}

function count(text: string | undefined, directive: string, host: string): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	if (!/^\d+$/.test(text)) {
		throw new UsageError(`${directive} "${text}" for Host ${host} in ~/.ssh/config is not a whole number.`, `Fix ${directive} in ~/.ssh/config.`);
	}

	return Number(text);
}
