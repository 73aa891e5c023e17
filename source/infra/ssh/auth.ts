import {readFile} from 'node:fs/promises';
import ssh2, {type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware, type ParsedKey} from 'ssh2';
import {processRedactor} from '../redact.js';
import {ObservedAgent} from './agent.js';
import type {SshHop} from './route.js';

/**
 * Asks for the passphrase of an encrypted private key; undefined skips the key. `attempt` counts
 * from 1 and is above 1 after a wrong passphrase. The answer is never echoed, logged or shown.
 */
export type AskPassphrase = (keyPath: string, context: {attempt: number}) => Promise<string | undefined>;

export type AuthenticationOptions = {
	/** The ssh-agent socket when the config does not name one ($SSH_AUTH_SOCK); null for none. */
	agentSocket: string | undefined | null;
	askPassphrase: AskPassphrase | undefined;
	/** Runs a wait for the operator (the connect timeout stops meanwhile). */
	waitForOperator: <T>(wait: () => Promise<T>) => Promise<T>;
};

/** An authentication plan for ssh2, and a record of what it offered, for the message if all fail. */
export type Authentication = {
	handler: AuthHandlerMiddleware;
	/** Everything offered, in order, with what became of it; never a secret. */
	describeAttempts(): string[];
	/** The methods the server said it accepts, once it has said. */
	serverMethods(): readonly string[] | undefined;
};

const passphrasePrompts = 3;

type Candidate =
	| {kind: 'agent'; agent: ObservedAgent}
	| {kind: 'key'; path: string};

/** ssh-agent first (unless IdentityAgent none), then each identity file, as OpenSSH orders them. */
export async function planAuthentication(hop: SshHop, options: AuthenticationOptions): Promise<Authentication> {
	const candidates: Candidate[] = [];
	const socket = agentSocketFor(hop, options.agentSocket);
	if (socket) {
		const allowed = hop.identitiesOnly ? await publicKeysOf(hop.identityFiles) : undefined;
		candidates.push({kind: 'agent', agent: new ObservedAgent(socket, allowed)});
	}

	candidates.push(...hop.identityFiles.map(path => ({kind: 'key' as const, path})));
	const notes = new Map<Candidate, string>();
	let methods: AuthenticationType[] | undefined;

	const nextMethod = async (): Promise<AnyAuthMethod | false> => {
		while (candidates.length > 0) {
			const candidate = candidates.shift()!;
			if (candidate.kind === 'agent') {
				notes.set(candidate, 'offered');
				return {type: 'agent', username: hop.user, agent: candidate.agent};
			}

			const key = await loadPrivateKey(candidate.path, options);
			if ('skipped' in key) {
				if (key.skipped !== 'missing') {
					notes.set(candidate, key.skipped);
				}

				continue;
			}

			notes.set(candidate, 'offered, refused by the server');
			return {type: 'publickey', username: hop.user, key: key.parsed};
		}

		return false;
	};

	// ssh2 takes `false` for "no more methods"; its types leave that out.
	const handler = (methodsLeft: AuthenticationType[] | null, _partialSuccess: boolean | null, next: (method: AnyAuthMethod | false) => void): void => {
		methods = methodsLeft ?? methods;
		if (methodsLeft && !methodsLeft.includes('publickey')) {
			next(false);
			return;
		}

		void nextMethod().then(next, () => {
			next(false);
		});
	};

	return {
		handler: handler as unknown as AuthHandlerMiddleware,
		serverMethods: () => methods,
		describeAttempts: () => [...notes].map(([candidate, note]) => candidate.kind === 'agent'
			? describeAgentAttempt(candidate.agent)
			: `key ${candidate.path} (${note})`),
	};
}

function describeAgentAttempt(agent: ObservedAgent): string {
	if (agent.failure) {
		return `ssh-agent at ${agent.socketPath} (unreachable: ${agent.failure})`;
	}

	return `ssh-agent at ${agent.socketPath} (${agent.offered} ${agent.offered === 1 ? 'key' : 'keys'} offered, refused)`;
}

function agentSocketFor(hop: SshHop, defaultSocket: string | undefined | null): string | undefined {
	const configured = hop.identityAgent;
	if (configured === undefined || configured === '$SSH_AUTH_SOCK') {
		return defaultSocket ?? undefined;
	}

	if (configured === 'none') {
		return undefined;
	}

	return configured.startsWith('$') ? process.env[configured.slice(1)] : configured;
}

type LoadedKey = {parsed: ParsedKey} | {skipped: string};

async function loadPrivateKey(path: string, options: AuthenticationOptions): Promise<LoadedKey> {
	let data: Buffer;
	try {
		data = await readFile(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return {skipped: code === 'ENOENT' ? 'missing' : `unreadable: ${code ?? 'error'}`};
	}

	const plain = ssh2.utils.parseKey(data);
	if (!(plain instanceof Error)) {
		return usable(plain);
	}

	if (!/no passphrase given/i.test(plain.message)) {
		return {skipped: `not a private key ssh2 can read: ${plain.message}`};
	}

	if (!options.askPassphrase) {
		return {skipped: 'encrypted, and no terminal to ask for its passphrase: add it to ssh-agent with ssh-add'};
	}

	for (let attempt = 1; attempt <= passphrasePrompts; attempt++) {
		const ask = options.askPassphrase;
		const passphrase = await options.waitForOperator(async () => ask(path, {attempt}));
		if (passphrase === undefined) {
			return {skipped: 'encrypted, passphrase not given'};
		}

		processRedactor.add(passphrase);
		const decrypted = ssh2.utils.parseKey(data, passphrase);
		if (!(decrypted instanceof Error)) {
			return usable(decrypted);
		}
	}

	return {skipped: `wrong passphrase, ${passphrasePrompts} tries`};
}

function usable(parsed: ParsedKey | ParsedKey[]): LoadedKey {
	const key = Array.isArray(parsed) ? parsed[0] : parsed;
	return key ? {parsed: key} : {skipped: 'no key in the file'};
}

/** The public halves of identity files (from their .pub files), to pick those keys out of the agent. */
async function publicKeysOf(identityFiles: readonly string[]): Promise<Set<string>> {
	const keys = new Set<string>();
	for (const path of identityFiles) {
		const text = await readFile(`${path}.pub`, 'utf8').catch(() => '');
		const base64 = text.trim().split(/\s+/)[1];
		if (base64) {
			keys.add(base64);
		}
	}

	return keys;
}
