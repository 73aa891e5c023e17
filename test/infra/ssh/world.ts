import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {SshConnectOptions} from '../../../source/infra/ssh/index.js';
import {makeClientKey, makeTempDir, removeTempDir, startSshd, type ClientKey, type SshdServer} from '../../helpers/sshd.js';

/** A client side of its own: a temp home with ~/.ssh/id_ed25519, an empty config and known_hosts. */
export type ClientHome = {
	home: string;
	sshDir: string;
	key: ClientKey;
	knownHosts: string;
	config: string;
	/** Options that read only this home: no system config, no agent unless given. */
	options(destination: string, overrides?: Partial<SshConnectOptions>): SshConnectOptions;
	trust(...servers: SshdServer[]): Promise<void>;
	remove(): Promise<void>;
};

export async function makeClientHome(): Promise<ClientHome> {
	const home = await makeTempDir('home');
	const sshDir = join(home, '.ssh');
	await mkdir(sshDir, {mode: 0o700});
	const key = await makeClientKey(sshDir, 'id_ed25519');
	const knownHosts = join(sshDir, 'known_hosts');
	const config = join(sshDir, 'config');
	await writeFile(knownHosts, '');
	await writeFile(config, '');
	return {
		home,
		sshDir,
		key,
		knownHosts,
		config,
		options: (destination, overrides = {}) => ({
			destination,
			homeDir: home,
			configPath: config,
			systemConfigPath: null,
			knownHostsPath: knownHosts,
			agentSocket: null,
			timeoutMs: 10_000,
			...overrides,
		}),
		async trust(...servers) {
			await writeFile(knownHosts, servers.map(server => `${server.knownHostsLine}\n`).join(''), {flag: 'a'});
		},
		remove: async () => removeTempDir(home),
	};
}

/** One sshd that accepts the home's key, and the home trusting it. */
export async function startServerFor(client: ClientHome, options: {extraKeys?: string[]; logLevel?: 'INFO' | 'DEBUG1'} = {}): Promise<SshdServer> {
	const server = await startSshd({authorizedKeys: [client.key.publicKey, ...(options.extraKeys ?? [])], logLevel: options.logLevel});
	await client.trust(server);
	return server;
}
