// The real world behind the setup wizard: Northflank's API (or a sandbox's), ~/.ssh/config and
// known_hosts through the SSH layer, and the config and secrets files.
import {homedir} from 'node:os';
import {join} from 'node:path';
import {UsageError} from '../core/errors.js';
import {configDirectory} from '../infra/config-path.js';
import {defaultRenderKeyEnv, defaultTokenEnv, loadConfig, saveConfig} from '../infra/config.js';
import {secretsFilePath, storeToken} from '../infra/secrets.js';
import type {SetupBackend} from '../ui/setup/setup-backend.js';

export type SetupBackendOptions = {
	/** A sandbox's address: the wizard's Northflank talks to it, and the context is saved with it. */
	sandboxUrl?: string;
	directory?: string;
	environment?: NodeJS.ProcessEnv;
	homeDir?: string;
	/** Per SSH hop; 15 s by default. */
	sshTimeoutMs?: number;
};

/** Reads the config first: a malformed file is reported (exit 2) before the wizard opens. */
export function createSetupBackend(options: SetupBackendOptions = {}): SetupBackend {
	const directory = options.directory ?? configDirectory();
	const environment = options.environment ?? process.env;
	const homeDir = options.homeDir ?? homedir();
	const config = loadConfig(directory, {allowUnknownCurrent: true});
	const sandbox = options.sandboxUrl !== undefined;
	const platformName = sandbox ? 'the sandbox' : 'Northflank';
	const apiUrl = options.sandboxUrl?.replace(/\/+$/, '');
	return {
		apiUrl,
		sandbox,
		environmentToken: environment[defaultTokenEnv] || undefined,
		configPath: config.path,
		secretsPath: secretsFilePath(directory),
		environmentRenderKey: environment[defaultRenderKeyEnv] || undefined,
		existingContexts: Object.keys(config.contexts),
		async listProjects(token, team) {
			const {listProjects} = await import('../providers/northflank/projects.js');
			return listProjects({baseUrl: apiUrl, token, team, platformName});
		},
		async openProject(token, team, project) {
			const {NorthflankProvider} = await import('../providers/northflank/provider.js');
			const provider = new NorthflankProvider({baseUrl: apiUrl, token, project, team, platformName, sandbox});
			return {provider, project: await provider.verify()};
		},
		async listRenderWorkspaces(key) {
			const {RenderProvider} = await import('../providers/render/provider.js');
			return new RenderProvider({baseUrl: apiUrl, apiKey: key, platformName: sandbox ? 'the sandbox' : 'Render'}).listWorkspaces();
		},
		async openRenderWorkspace(key, workspace) {
			const {RenderProvider} = await import('../providers/render/provider.js');
			const provider = new RenderProvider({baseUrl: apiUrl, apiKey: key, workspace, platformName: sandbox ? 'the sandbox' : 'Render'});
			return {provider, project: await provider.verify()};
		},
		async composeProject(destination, directory) {
			const {ComposeHost} = await import('../providers/compose/host.js');
			// Only `docker compose config` runs: the services named here are placeholders, not used.
			const host = new ComposeHost({destination, projectDirectory: directory, appService: 'app', dbService: 'db', tagVariable: 'APP_TAG', ssh: {homeDir, timeoutMs: options.sshTimeoutMs ?? 15_000}});
			try {
				const parsed = JSON.parse(await host.output(['config', '--format', 'json'])) as {name?: string; services?: Record<string, unknown>};
				return {name: parsed.name ?? 'compose', services: Object.keys(parsed.services ?? {})};
			} finally {
				host.close();
			}
		},
		async verifyCompose(plan) {
			const {ComposeProvider} = await import('../providers/compose/index.js');
			const provider = new ComposeProvider({destination: plan.destination, projectDirectory: plan.directory, appService: plan.appService, dbService: plan.dbService, tagVariable: plan.tagVariable, ssh: {homeDir, timeoutMs: options.sshTimeoutMs ?? 15_000}});
			try {
				await provider.verify();
			} finally {
				await provider.close();
			}
		},
		async sshHosts() {
			return sshConfigHosts(homeDir);
		},
		async checkSshHost(destination, confirm) {
			const {connectSsh, parseDestination} = await import('../infra/ssh/index.js');
			const [{describeRoute}, {keyTypeLabel}] = await Promise.all([import('../infra/ssh/peer.js'), import('../infra/ssh/host-key.js')]);
			parseDestination(destination);
			const connection = await connectSsh({
				destination,
				homeDir,
				timeoutMs: options.sshTimeoutMs ?? 15_000,
				async confirmUnknownHost(key) {
					const host = key.port === 22 ? key.host : `[${key.host}]:${key.port}`;
					return await confirm({host, keyType: keyTypeLabel(key.keyType), fingerprint: key.fingerprint, knownHostsFile: key.knownHostsFile}) ? 'accept' : 'reject';
				},
			});
			try {
				return `SSH reaches ${connection.target.user}@${describeRoute(connection.target, connection.bastions)}; its host key is known.`;
			} finally {
				connection.close();
			}
		},
		async save(plan) {
			if (plan.token !== undefined) {
				await storeToken(plan.name, plan.token, directory);
			}

			await saveConfig(current => {
				if (plan.name in current.contexts) {
					throw new UsageError(`A context named "${plan.name}" appeared in ${config.path} while setup ran.`, 'Go back and choose another name.');
				}

				return {...current, current: plan.name, contexts: {...current.contexts, [plan.name]: plan.context}};
			}, directory);
		},
	};
}

/** The Host aliases of ~/.ssh/config that name one host (patterns such as `*` or `!x` left out). */
async function sshConfigHosts(homeDir: string): Promise<string[]> {
	const {loadSshConfig} = await import('../infra/ssh/config-file.js');
	const config = await loadSshConfig([{path: join(homeDir, '.ssh', 'config'), includeBase: join(homeDir, '.ssh')}], homeDir);
	const hosts = new Set<string>();
	const visit = (lines: Iterable<{type: number; param?: string; value?: unknown; config?: Iterable<unknown>}>) => {
		for (const line of lines) {
			if (line.param?.toLowerCase() === 'host') {
				const values = typeof line.value === 'string' ? line.value.split(/\s+/) : (line.value as Array<{val: string}>).map(part => part.val);
				for (const host of values) {
					if (host && !/[*?!]/.test(host)) {
						hosts.add(host);
					}
				}
			}
		}
	};

	visit(config as unknown as Iterable<{type: number; param?: string; value?: unknown}>);
	return [...hosts];
}
