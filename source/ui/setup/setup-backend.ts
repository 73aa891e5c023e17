// What the setup wizard needs from outside the UI: the platform's API, the SSH layer, the config
// files. commands/setup-backend.ts supplies the real one; the wizard only sees these types.
import type {Provider} from '../../core/provider.js';
import type {Project} from '../../core/types.js';
import type {ContextConfig} from '../../infra/config.js';

/** An SSH host key not in known_hosts yet, shown for the operator to accept or decline. */
export type HostKeyQuestion = {
	/** `[127.0.0.1]:2222` or `app.example.com`. */
	host: string;
	keyType: string;
	/** `SHA256:…` */
	fingerprint: string;
	/** Where it is recorded when accepted. */
	knownHostsFile?: string;
};

export type SavePlan = {
	name: string;
	context: ContextConfig;
	/** A pasted token, for secrets.json; absent when the token comes from the environment. */
	token?: string;
};

export type SetupBackend = {
	/** Northflank's API base, or a sandbox's; undefined is Northflank's own. */
	apiUrl?: string;
	/** The API is a wheelhouse sandbox: the saved context says so, the header shows SANDBOX. */
	sandbox: boolean;
	/** NORTHFLANK_TOKEN of this shell, when set: offered instead of pasting one. */
	environmentToken?: string;
	configPath: string;
	secretsPath: string;
	/** RENDER_API_KEY of this shell, when set: the only way setup offers a Render key. */
	environmentRenderKey?: string;
	/** Names already taken in the config file. */
	existingContexts: readonly string[];
	/** The token check: projects it can see; a rejected token throws a ProviderError of kind 'auth'. */
	listProjects(token: string, team: string | undefined): Promise<Project[]>;
	/** A provider on one project, verified (a project the token cannot see throws 'not-found'). */
	openProject(token: string, team: string | undefined, project: string): Promise<{provider: Provider; project: Project}>;
	/** Render: the workspaces (owners) the key reaches; a rejected key throws a ProviderError of kind 'auth'. */
	listRenderWorkspaces(key: string): Promise<Project[]>;
	/** Render: a provider on one workspace, verified. */
	openRenderWorkspace(key: string, workspace: string): Promise<{provider: Provider; project: Project}>;
	/** Compose: `docker compose config` in the directory on the host: the project's name and services. */
	composeProject(destination: string, directory: string): Promise<{name: string; services: string[]}>;
	/** Compose: the project as a context would open it (ComposeProvider.verify); throws naming what is wrong. */
	verifyCompose(plan: {destination: string; directory: string; appService: string; dbService: string; tagVariable: string}): Promise<void>;
	/** Host aliases of ~/.ssh/config (no patterns). */
	sshHosts(): Promise<string[]>;
	/**
	 * Connects to the host as `wheelhouse exec` would (known_hosts, agent, keys) and closes again;
	 * resolves to a line describing what answered. Unknown host keys go to `confirm`; an accepted one is
	 * recorded in known_hosts.
	 */
	checkSshHost(destination: string, confirm: (question: HostKeyQuestion) => Promise<boolean>): Promise<string>;
	/** Writes the token (if any) to secrets.json, then the context to config.json as the current one. */
	save(plan: SavePlan): Promise<void>;
};
