import {homedir, userInfo} from 'node:os';
import {join} from 'node:path';
import type {Duplex} from 'node:stream';
import ssh2, {type Client} from 'ssh2';
import {planAuthentication, type AskPassphrase} from './auth.js';
import {loadSshConfig} from './config-file.js';
import {connectError, forwardError, timeoutError} from './connect-errors.js';
import {Deadline} from './deadline.js';
import {SshError} from './errors.js';
import {checkHostKey, type ConfirmUnknownHost} from './host-key-check.js';
import {hostKeyAlgorithmsPreferring} from './host-key.js';
import {findKnownHostEntries} from './known-hosts.js';
import {describePeer, describeRoute, openSshCommand, peerOf, type SshPeer} from './peer.js';
import {resolveRoute, type SshHop} from './route.js';

export type SshConnectOptions = {
	/** `user@host`, `user@host:port`, `ssh://user@host:port` or a Host alias from ~/.ssh/config. */
	destination: string;
	/** Asks the operator about a host key not in known_hosts; absent when nobody can be asked (unknown keys are refused). */
	confirmUnknownHost?: ConfirmUnknownHost;
	/** Asks for the passphrase of an encrypted key; absent when nobody can be asked (such keys are skipped). */
	askPassphrase?: AskPassphrase;
	/** Default ~/.ssh/config. */
	configPath?: string;
	/** Default /etc/ssh/ssh_config; null reads none. */
	systemConfigPath?: string | null;
	/** The one known_hosts file to read and record into, instead of those the config names. */
	knownHostsPath?: string;
	/** Default the user's home directory (for ~, ~/.ssh/config and the default keys). */
	homeDir?: string;
	localUser?: string;
	/** Default $SSH_AUTH_SOCK; null uses no agent. IdentityAgent in the config wins. */
	agentSocket?: string | null;
	/** Per host, for the TCP connection and the SSH handshake; default ConnectTimeout, else 20 s. */
	timeoutMs?: number;
	/** Default ServerAliveInterval, else 15 s; 0 sends none. */
	keepaliveIntervalMs?: number;
	/** Unanswered keepalives before the connection counts as dead; default ServerAliveCountMax, else 3. */
	keepaliveCountMax?: number;
};

export type SshConnection = {
	readonly target: SshPeer;
	/** The jump hosts on the way, nearest to us first. */
	readonly bastions: readonly SshPeer[];
	/** The ssh2 client of the target, for channels (exec, tunnels). */
	readonly client: Client;
	/** Resolves when the connection has ended: undefined after close(), else why it dropped. */
	readonly closed: Promise<SshError | undefined>;
	/** Ends the connection to the target, then to each bastion. */
	close(): void;
};

const defaultTimeoutMs = 20_000;
const defaultKeepaliveIntervalMs = 15_000;
const defaultKeepaliveCountMax = 3;

/**
 * Connects to a destination as OpenSSH would: ~/.ssh/config, ProxyJump through each bastion in turn,
 * every host key checked against known_hosts, ssh-agent then key files.
 */
export async function connectSsh(options: SshConnectOptions): Promise<SshConnection> {
	const homeDir = options.homeDir ?? homedir();
	const localUser = options.localUser ?? userInfo().username;
	const config = await loadSshConfig([
		{path: options.configPath ?? join(homeDir, '.ssh', 'config'), includeBase: join(homeDir, '.ssh')},
		...(options.systemConfigPath === null ? [] : [{path: options.systemConfigPath ?? '/etc/ssh/ssh_config', includeBase: '/etc/ssh'}]),
	], homeDir);
	const route = resolveRoute(options.destination, {config, homeDir, localUser, knownHostsPath: options.knownHostsPath});
	const clients: Client[] = [];
	try {
		for (const [index, hop] of route.entries()) {
			const previous = index === 0 ? undefined : {client: clients[index - 1]!, hop: route[index - 1]!};
			clients.push(await connectHop(hop, previous, route.slice(0, index).map(bastion => peerOf(bastion)), options));
		}
	} catch (error) {
		for (const client of clients.toReversed()) {
			client.end();
		}

		throw error;
	}

	return watchConnection(route.map(hop => peerOf(hop)), clients);
}

async function connectHop(hop: SshHop, previous: {client: Client; hop: SshHop} | undefined, via: SshPeer[], options: SshConnectOptions): Promise<Client> {
	const peer = peerOf(hop);
	const knownKeyTypes = (await findKnownHostEntries(hop.knownHostsName, [...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles]))
		.filter(entry => entry.marker === undefined)
		.map(entry => entry.keyType);
	const client = new ssh2.Client();
	let settled = false;
	let refusal: SshError | undefined;

	return new Promise<Client>((resolve, reject) => {
		const fail = (error: SshError): void => {
			if (settled) {
				return;
			}

			settled = true;
			deadline.stop();
			client.destroy();
			reject(error);
		};

		const deadline = new Deadline(options.timeoutMs ?? hop.connectTimeoutMs ?? defaultTimeoutMs, () => {
			fail(timeoutError(peer, via, deadline.limitMs));
		});
		const waitForOperator = async <T>(wait: () => Promise<T>): Promise<T> => deadline.excluding(wait);

		const start = async (): Promise<void> => {
			const authentication = await planAuthentication(hop, {
				agentSocket: options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : options.agentSocket,
				askPassphrase: options.askPassphrase,
				waitForOperator,
			});
			const sock = previous ? await forwardThrough(previous, hop) : undefined;
			if (settled) {
				sock?.destroy();
				return;
			}

			client.on('ready', () => {
				// Interactive keystrokes are tiny packets: without TCP_NODELAY, Nagle's algorithm and
				// delayed ACKs hold each echo back by ~40 ms (OpenSSH sets it for interactive sessions too).
				client.setNoDelay(true);
				settled = true;
				deadline.stop();
				resolve(client);
			});
			client.on('error', (error: Error & {level?: string}) => {
				// An unreachable agent is not fatal: the key files are tried next, and the failure message lists it.
				if (error.level !== 'agent') {
					fail(refusal ?? connectError(error, peer, via, {tried: authentication.describeAttempts(), serverMethods: authentication.serverMethods()}));
				}
			});
			client.on('close', () => {
				fail(refusal ?? new SshError('unreachable', `${describeRoute(peer, via)} closed the connection during the SSH handshake.`, {hint: 'Is it an SSH server? Check the port.'}));
			});
			client.connect({
				host: hop.host,
				port: hop.port,
				...(sock ? {sock} : {}),
				username: hop.user,
				readyTimeout: 0,
				keepaliveInterval: options.keepaliveIntervalMs ?? hop.keepaliveIntervalMs ?? defaultKeepaliveIntervalMs,
				keepaliveCountMax: options.keepaliveCountMax ?? hop.keepaliveCountMax ?? defaultKeepaliveCountMax,
				algorithms: {serverHostKey: hostKeyAlgorithmsPreferring(knownKeyTypes)},
				authHandler: authentication.handler,
				hostVerifier(key: Buffer, verify: (valid: boolean) => void) {
					const confirm = options.confirmUnknownHost;
					checkHostKey(hop, key, {
						confirmUnknownHost: confirm && (async unknown => waitForOperator(async () => confirm(unknown))),
						acceptByHand: acceptByHandHint(hop, via),
					}).then(reason => {
						refusal = reason;
						verify(reason === undefined);
					}, (error: unknown) => {
						refusal = error instanceof SshError ? error : new SshError('config', `Cannot check the host key of ${describePeer(peer)}: ${(error as Error).message}`);
						verify(false);
					});
				},
			});
		};

		deadline.start();
		start().catch((error: unknown) => {
			fail(error instanceof SshError ? error : new SshError('unreachable', `SSH to ${describeRoute(peer, via)} failed: ${(error as Error).message}`, {cause: error}));
		});
	});
}

async function forwardThrough(previous: {client: Client; hop: SshHop}, hop: SshHop): Promise<Duplex> {
	return new Promise((resolve, reject) => {
		previous.client.forwardOut('127.0.0.1', 0, hop.host, hop.port, (error, channel) => {
			if (error) {
				reject(forwardError(error, peerOf(hop), peerOf(previous.hop)));
			} else {
				resolve(channel);
			}
		});
	});
}

function acceptByHandHint(hop: SshHop, via: SshPeer[]): string {
	const knownHosts = hop.userKnownHostsFiles[0] ?? '~/.ssh/known_hosts';
	const scan = via.length === 0 ? `, or add it with \`ssh-keyscan -p ${hop.port} ${hop.host} >> ${knownHosts}\` after comparing fingerprints` : '';
	return `run wheelhouse in a terminal so it can ask you, or connect once with \`${openSshCommand(peerOf(hop), via)}\`${scan}`;
}

/** Turns the clients of one route into a connection that ends as a whole, whichever hop drops. */
function watchConnection(peers: SshPeer[], clients: Client[]): SshConnection {
	const target = clients.at(-1)!;
	const targetPeer = peers.at(-1)!;
	let closing = false;
	let lastProblem: SshError | undefined;
	let settleClosed: (reason: SshError | undefined) => void = () => undefined;
	const closed = new Promise<SshError | undefined>(resolve => {
		settleClosed = resolve;
	});

	const closeAll = (): void => {
		for (const client of clients.toReversed()) {
			client.end();
		}
	};

	for (const [index, client] of clients.entries()) {
		const peer = peers[index]!;
		client.on('error', (error: Error & {level?: string}) => {
			lastProblem = new SshError('closed', error.level === 'client-timeout'
				? `The SSH connection to ${describePeer(peer)} stopped answering (keepalives unanswered).`
				: `The SSH connection to ${describePeer(peer)} failed: ${error.message}`, {cause: error});
		});
		client.on('close', () => {
			if (!closing) {
				closing = true;
				settleClosed(lastProblem ?? new SshError('closed', `The SSH connection to ${describePeer(peer)} was closed.`));
				closeAll();
			}
		});
	}

	return {
		target: targetPeer,
		bastions: peers.slice(0, -1),
		client: target,
		closed,
		close() {
			if (!closing) {
				closing = true;
				settleClosed(undefined);
			}

			closeAll();
		},
	};
}
