// The sandbox's stand-in for Render's SSH gateway (`ssh <serviceId>@ssh.<region>.render.com`): an ssh2
// server on loopback with a host key of its own, letting in the service id (or an instance id) as the
// user name with a public key registered with the sandbox, as Render lets in the keys on the account.
import {timingSafeEqual} from 'node:crypto';
import type {AddressInfo} from 'node:net';
import ssh2, {type Connection, type ParsedKey} from 'ssh2';
import {containerStatusAt} from '../lifecycle.js';
import type {SandboxPlatform} from '../platform.js';
import type {ServiceRecord} from '../state.js';
import type {LocalProcess} from '../exec/local-process.js';
import type {RunningInstance} from '../exec/exec-targets.js';
import {renderIds} from './render-ids.js';
import {serveSshSession} from './ssh-session.js';

export type SshGatewayOptions = {
	platform: SandboxPlatform;
	/** Whether a service is suspended (it then has no instance to enter). */
	isSuspended: (serviceId: string) => boolean;
	/** The host private key, OpenSSH format. */
	hostKey: string;
	/** Public keys (`ssh-ed25519 AAAA… comment`) allowed in; read at each login, so keys added later count. */
	authorizedKeys: () => readonly string[];
};

const graceMs = 2000;

/**
 * An ed25519 host key in OpenSSH format, for a sandbox that has none yet. ssh2's generator now and then
 * (about 3 in 1,000) writes an ed25519 key its own parser rejects, so a key is kept only once it parses.
 */
export function generateHostKey(): string {
	for (;;) {
		const key = ssh2.utils.generateKeyPairSync('ed25519', {}).private;
		if (!(ssh2.utils.parseKey(key) instanceof Error)) {
			return key;
		}
	}
}

/** Parses an OpenSSH public key line; throws with what is wrong. */
export function parsePublicKey(line: string): ParsedKey {
	const parsed = ssh2.utils.parseKey(line.trim());
	if (parsed instanceof Error) {
		throw new TypeError(`not an OpenSSH public key (${parsed.message}): give a line such as "ssh-ed25519 AAAA… you@laptop"`);
	}

	const key = Array.isArray(parsed) ? parsed[0] : parsed;
	if (!key || key.isPrivateKey()) {
		throw new TypeError('give the public key (the .pub file), never the private one');
	}

	return key;
}

export class SshGateway {
	private readonly server: ssh2.Server;
	private readonly connections = new Set<Connection>();
	private readonly processes = new Map<LocalProcess, Promise<void>>();
	private listeningPort = 0;

	constructor(private readonly options: SshGatewayOptions) {
		this.server = new ssh2.Server({hostKeys: [options.hostKey], ident: 'wheelhouse-sandbox-render-ssh'}, client => {
			this.accept(client);
		});
	}

	get port(): number {
		return this.listeningPort;
	}

	async listen(port = 0): Promise<number> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		this.listeningPort = (this.server.address() as AddressInfo).port;
		return this.listeningPort;
	}

	/** Stops listening, hangs up every session and waits for their processes and scratch directories. */
	async close(): Promise<void> {
		this.server.close();
		for (const client of this.connections) {
			client.end();
		}

		for (const child of this.processes.keys()) {
			child.kill();
		}

		await Promise.race([Promise.all(this.processes.values()), new Promise(resolve => {
			setTimeout(resolve, graceMs).unref();
		})]);
	}

	private accept(client: Connection): void {
		this.connections.add(client);
		client.on('close', () => this.connections.delete(client));
		client.on('error', () => undefined);
		let user = '';
		client.on('authentication', context => {
			user = context.username;
			if (context.method !== 'publickey' || this.serviceOf(user) === undefined) {
				context.reject(['publickey']);
				return;
			}

			const allowed = this.allowedKey(context.key.algo, context.key.data);
			if (!allowed) {
				context.reject(['publickey']);
				return;
			}

			if (context.signature && context.blob) {
				// A key that does not verify is refused like an unknown one.
				if (allowed.verify(context.blob, context.signature, context.hashAlgo) !== true) {
					context.reject(['publickey']);
					return;
				}
			}

			context.accept();
		});
		client.on('ready', () => {
			client.on('session', accept => {
				const session = accept();
				serveSshSession(session, () => this.instanceFor(user), (child, ended) => {
					this.processes.set(child, ended);
					void ended.finally(() => this.processes.delete(child));
				});
			});
		});
	}

	private allowedKey(algo: string, data: Buffer): ParsedKey | undefined {
		for (const line of this.options.authorizedKeys()) {
			let key: ParsedKey;
			try {
				key = parsePublicKey(line);
			} catch {
				continue;
			}

			const blob = key.getPublicSSH();
			if (key.type === algo && blob.length === data.length && timingSafeEqual(blob, data)) {
				return key;
			}
		}

		return undefined;
	}

	/** The service a login name stands for: its Render id, or one of its instances' ids. */
	private serviceOf(user: string): {service: ServiceRecord; instance?: string} | undefined {
		for (const project of this.options.platform.state.projects) {
			for (const service of project.services) {
				const id = renderIds.service(service.id);
				if (user === id) {
					return {service};
				}

				const container = service.containers.find(candidate => renderIds.instance(service.id, candidate.name) === user);
				if (container) {
					return {service, instance: container.name};
				}
			}
		}

		return undefined;
	}

	private instanceFor(user: string): RunningInstance {
		const found = this.serviceOf(user);
		if (!found) {
			throw new Error(`service ${user} not found`);
		}

		const {service} = found;

		const id = renderIds.service(service.id);
		if (this.options.isSuspended(service.id)) {
			throw new Error(`service ${id} is suspended: resume it before connecting`);
		}

		const t = this.options.platform.now();
		const running = service.containers.filter(container => containerStatusAt(container, t)?.status === 'TASK_RUNNING' && (found.instance === undefined || container.name === found.instance));
		if (running.length === 0) {
			throw new Error(found.instance === undefined ? `service ${id} has no running instance` : `instance ${user} is not running`);
		}

		const chosen = running[Math.floor(Math.random() * running.length)]!;
		return {instanceName: renderIds.instance(service.id, chosen.name), containerName: id};
	}
}
