// The live check of each step, run when the operator presses enter: nothing moves on until the
// platform (or the SSH host) has answered, and a failure says what failed and what to do about it.
import {ProviderError} from '../../core/errors.js';
import type {Provider} from '../../core/provider.js';
import type {JobRun} from '../../core/types.js';
import {contextNameProblem, type Environment} from '../../infra/config.js';
import {processRedactor} from '../../infra/redact.js';
import {toPlainText} from '../../infra/sanitize.js';
import type {HostKeyQuestion, SetupBackend} from './setup-backend.js';
import {
	chosenOption, fieldText, type Message, noneValue, presets, type StepId, stepFields, textValue, toggleValue, typedValue, type WizardData, type WizardState,
} from './wizard-model.js';

export type CheckContext = {
	state: WizardState;
	backend: SetupBackend;
	/** The provider on the chosen project, from the project step on. */
	session: {provider?: Provider};
	progress(text: string): void;
	ask(question: HostKeyQuestion): Promise<boolean>;
	/** False once the operator has cancelled or gone back: stop waiting. */
	isCurrent(): boolean;
	sleep(ms: number): Promise<void>;
	/** How long the migration plan may take (60 s). */
	planTimeoutMs?: number;
};

export type CheckResult = {ok: true; data: Partial<WizardData>; message?: Message} | {ok: false; message: Message};

const count = (number: number, noun: string): string => `${number} ${noun}${number === 1 ? '' : 's'}`;

const fail = (text: string, hint?: string, detail?: string[]): CheckResult => ({ok: false, message: {tone: 'bad', text: `✖ ${text}`, hint, detail}});
const pass = (data: Partial<WizardData>, text?: string, tone: Message['tone'] = 'good', detail?: string[]): CheckResult => ({ok: true, data, ...(text ? {message: {tone, text, detail}} : {})});

/** What the busy line says while a step's check runs. */
export function checkingText(state: WizardState): string {
	switch (state.step) {
		case 'credentials': return state.data.platform === 'render' ? 'Asking Render which workspaces this key reaches…' : 'Asking Northflank which projects this token can see…';
		case 'workspace': return 'Opening the workspace…';
		case 'project': return 'Opening the project…';
		case 'health': return 'Probing the health path…';
		case 'migration': return 'Starting a run of the migration job…';
		case 'ssh-host': return 'Connecting…';
		case 'summary': return 'Saving…';
		default: return 'Checking…';
	}
}

/** A failure as the operator reads it: the problem, the fix; any secret masked. */
export function failureMessage(error: unknown): Message {
	const message = processRedactor.redact(error instanceof Error ? error.message : String(error));
	const hint = error instanceof Error && 'hint' in error && typeof error.hint === 'string' ? processRedactor.redact(error.hint) : undefined;
	return {tone: 'bad', text: `✖ ${message}`, hint};
}

export async function checkStep(context: CheckContext): Promise<CheckResult> {
	try {
		return await checks[context.state.step](context);
	} catch (error) {
		return {ok: false, message: failureMessage(error)};
	}
}

function choice(state: WizardState, step: StepId, id: string): string | undefined {
	const field = stepFields(state, step).find(candidate => candidate.id === id);
	return field?.kind === 'choice' ? chosenOption(state, step, field)?.value : undefined;
}

function providerOf(context: CheckContext): Provider {
	if (!context.session.provider) {
		throw new Error('The project is not open; go back to the project step.');
	}

	return context.session.provider;
}

const checks: Record<StepId, (context: CheckContext) => Promise<CheckResult>> = {
	async platform({state, backend}) {
		const platform = choice(state, 'platform', 'platform');
		if (platform === 'ssh' || platform === 'compose') {
			return pass({platform, sshHosts: await backend.sshHosts()});
		}

		return platform === 'northflank' || platform === 'render' ? pass({platform}) : fail('Choose a platform this version supports: Northflank, Render, or an SSH host.');
	},

	async credentials(context) {
		const {state, backend, progress} = context;
		if (state.data.platform === 'render') {
			return renderCredentials(context);
		}

		const source = choice(state, 'credentials', 'source');
		const token = source === 'environment' ? backend.environmentToken ?? '' : textValue(state, 'credentials', 'token').trim();
		if (token === '') {
			return fail('There is no token yet: paste it into the token field.', 'Create one on Northflank: Team → Settings → API → Tokens (read access to the project is enough for watching).');
		}

		if (/[\s\u0000-\u001F]/.test(token)) {
			return fail('The pasted token has spaces or line breaks in it.', 'Paste only the token itself (ctrl-u clears the field).');
		}

		const team = textValue(state, 'credentials', 'team').trim();
		if (team !== '' && !/^[\w-]+$/.test(team)) {
			return fail(`"${team}" is not a team id.`, 'A team id has letters, digits and dashes, e.g. my-team; leave the field empty for a personal token.');
		}

		processRedactor.add(token);
		const platform = backend.sandbox ? 'The sandbox' : 'Northflank';
		progress(`Asking ${platform} which projects this token can see…`);
		let projects;
		try {
			projects = await backend.listProjects(token, team || undefined);
		} catch (error) {
			if (error instanceof ProviderError && error.kind === 'auth') {
				return fail(`${platform} rejected this token (401).`, source === 'environment' ? 'NORTHFLANK_TOKEN holds a token the platform does not accept: choose "Paste a token", or export a valid one and start setup again.' : 'Check that you pasted all of it (ctrl-u clears the field), or create a new one: Team → Settings → API → Tokens.');
			}

			throw error;
		}

		const data: Partial<WizardData> = {token: {value: token, from: source === 'environment' ? 'environment' : 'pasted'}, team: team || undefined, projects};
		return projects.length === 0
			? pass(data, '▲ The token was accepted but sees no projects: type the project\'s id on the next step (an organisation token also needs the team id).', 'warn')
			: pass(data, `✔ Token accepted; it sees ${projects.length} project${projects.length === 1 ? '' : 's'}.`);
	},

	async workspace(context) {
		const id = choice(context.state, 'workspace', 'workspace');
		const key = context.state.data.token?.value;
		if (!id || !key) {
			return fail('Choose a workspace.');
		}

		return openRenderWorkspace(context, key, id);
	},

	async project(context) {
		const {state, backend, progress} = context;
		const chosen = choice(state, 'project', 'project');
		const reference = chosen === typedValue ? textValue(state, 'project', 'typed').trim() : chosen;
		if (!reference) {
			return fail('Type the project\'s id or name first.', 'Its id is in the project\'s URL on Northflank: app.northflank.com/…/projects/<id>.');
		}

		const token = state.data.token?.value ?? '';
		const {provider, project} = await backend.openProject(token, state.data.team, reference);
		context.session.provider = provider;
		progress(`Listing the services, addons and jobs of ${project.name}…`);
		const [services, addons, jobs] = await Promise.all([provider.listServices(), provider.listAddons(), provider.listJobs()]);
		return pass({project, services, addons, jobs}, `✔ Project ${project.name}: ${count(services.length, 'service')}, ${count(addons.length, 'addon')}, ${count(jobs.length, 'job')}.`);
	},

	async service(context) {
		const id = choice(context.state, 'service', 'service');
		if (!id || id === noneValue) {
			return pass({service: null}, 'No service: releases and health checks are left out.', 'muted');
		}

		const service = await providerOf(context).getService(id);
		const health = service.healthPath ? `; its health check is ${service.healthPath}` : '; it has no health check';
		return pass({service}, `✔ ${service.name}: ${service.deployment.rawStatus}${health}.`);
	},

	async addon(context) {
		const id = choice(context.state, 'addon', 'addon');
		if (!id || id === noneValue) {
			return pass({addon: null}, 'No database addon: releases will not back it up first.', 'warn');
		}

		const addon = await providerOf(context).getAddon(id);
		if (addon.status !== 'running') {
			return fail(`${addon.name} is ${addon.status} (${addon.rawStatus}), so it cannot be backed up now.`, 'Resume it on Northflank (or wait until it is running), or choose another addon or (none).');
		}

		return pass({addon}, `✔ ${addon.name} is running (${addon.type}${addon.version ? ` ${addon.version}` : ''}).`);
	},

	async job(context) {
		const id = choice(context.state, 'job', 'job');
		if (!id || id === noneValue) {
			return pass({job: null}, 'No migration job: releases deploy without migrating.', 'warn');
		}

		const job = await providerOf(context).getJob(id);
		return job.suspended
			? pass({job}, `▲ ${job.name} is suspended; migration runs may not start until it is resumed.`, 'warn')
			: pass({job}, `✔ ${job.name} (${job.kind} job).`);
	},

	async health(context) {
		const {state} = context;
		const service = state.data.service;
		const path = fieldText(state, 'health', 'path').trim();
		if (!service) {
			return pass({});
		}

		if (!path.startsWith('/') || /\s/.test(path)) {
			return fail(`"${path}" is not a path on the service.`, 'Give a path starting with /, e.g. /api/health/.');
		}

		const probe = await providerOf(context).probeHealth(service.id, path, {timeoutMs: 5000});
		if (probe.ok) {
			return pass({healthPath: path}, `✔ ${path} answered 200 in ${probe.ms} ms.`, 'good', [`GET ${probe.url}`]);
		}

		const answered = probe.status === undefined ? `did not answer (${probe.detail})` : `answered ${probe.status}${probe.detail ? `: ${probe.detail}` : ''}`;
		const own = service.healthPath && service.healthPath !== path ? ` The service's own health check is ${service.healthPath}.` : '';
		const hint = probe.status === 404
			? `${service.name} has no page at ${path}: fix the path.${own}`
			: (probe.status === undefined ? `Is ${service.name} running, with a public HTTP port?${own}` : `It must answer 200: fix the service, or give a path that does.${own}`);
		return fail(`${path} ${answered}.`, hint, [`GET ${probe.url}`]);
	},

	async migration(context) {
		const {state} = context;
		const preset = choice(state, 'migration', 'preset');
		if (preset === 'custom') {
			const command = textValue(state, 'migration', 'command').trim();
			if (command === '') {
				return fail('Type the migration command first.', 'E.g. `npm run migrate` or `./manage migrate`, as the job\'s image runs it.');
			}

			const tool = command.includes('manage.py migrate') ? 'django' : (command.includes('alembic') ? 'alembic' : undefined);
			return pass({migration: {command, ...(tool ? {tool} : {})}}, 'A custom command cannot be checked before it runs; releases will run it as given.', 'muted');
		}

		if (preset === noneValue) {
			return pass({migration: undefined}, 'No migration command: releases deploy without migrating.', 'warn');
		}

		if (preset !== 'django' && preset !== 'alembic') {
			return fail('Choose a migration command.');
		}

		const job = state.data.job;
		if (!job) {
			return pass({migration: {command: presets[preset].command, tool: preset}});
		}

		return readPlan(context, job, preset);
	},

	async 'ssh-host'({state, backend, progress, ask}) {
		const chosen = choice(state, 'ssh-host', 'host');
		const destination = chosen === typedValue ? textValue(state, 'ssh-host', 'typed').trim() : chosen;
		if (!destination) {
			return fail('Type the host first: user@host, user@host:port, or a Host alias of ~/.ssh/config.');
		}

		progress(`Connecting to ${destination}…`);
		const description = await backend.checkSshHost(destination, ask);
		return pass({destination}, `✔ ${description}`);
	},

	async 'compose-project'({state, backend, progress}) {
		const directory = fieldText(state, 'compose-project', 'directory').trim().replace(/(?<=.)\/+$/, '');
		if (!directory.startsWith('/')) {
			return fail(directory === '' ? 'Type the project directory first.' : `"${directory}" is not an absolute path on the host.`, 'The directory on the host holding compose.yml, e.g. /srv/app.');
		}

		const destination = state.data.destination ?? '';
		progress(`Running \`docker compose config\` in ${directory} on ${destination}…`);
		const project = await backend.composeProject(destination, directory);
		if (project.services.length < 2) {
			return fail(`The Compose project ${project.name} has ${count(project.services.length, 'service')}; wheelhouse needs an application and a PostgreSQL service.`, 'Choose the directory of the project that runs both.');
		}

		return pass({composeProject: {directory, ...project}}, `✔ Compose project ${project.name}: ${project.services.join(', ')}.`);
	},

	async 'compose-services'({state, backend, progress}) {
		const appService = choice(state, 'compose-services', 'app');
		const dbService = choice(state, 'compose-services', 'db');
		const tagVariable = fieldText(state, 'compose-services', 'tag').trim();
		const project = state.data.composeProject;
		if (!appService || !dbService || !project) {
			return fail('Choose the application and the PostgreSQL service.');
		}

		if (appService === dbService) {
			return fail(`${appService} cannot be both the application and the database.`, 'Choose the PostgreSQL service in the second list (down/j to move between choices, tab to the next field).');
		}

		if (!/^[A-Za-z_]\w*$/.test(tagVariable)) {
			return fail(`"${tagVariable}" is not a variable name.`, 'The variable in the app service\'s `image: app:${APP_TAG}` (here APP_TAG).');
		}

		const compose = {appService, dbService, tagVariable};
		progress('Checking the project with these services…');
		await backend.verifyCompose({destination: state.data.destination ?? '', directory: project.directory, ...compose});
		return pass({compose}, `✔ ${appService} is released by setting ${tagVariable}; ${dbService} is backed up.`);
	},

	async identity({state, backend}) {
		const name = fieldText(state, 'identity', 'name').trim();
		const problem = contextNameProblem(name);
		if (problem) {
			return fail(problem, 'For example prod, staging-eu or app-host.');
		}

		if (backend.existingContexts.includes(name)) {
			return fail(`A context named "${name}" already exists in ${backend.configPath}.`, `Choose another name, or remove that one first: wheelhouse context remove ${name}.`);
		}

		const environment = (choice(state, 'identity', 'environment') ?? 'production') as Environment;
		return pass({identity: {name, environment, protected: toggleValue(state, 'identity', 'protected'), readOnly: toggleValue(state, 'identity', 'readOnly')}});
	},

	async summary() {
		return pass({});
	},
};

/** Render: the key comes from RENDER_API_KEY (a Render context never stores one); it is checked by listing its workspaces. */
async function renderCredentials(context: CheckContext): Promise<CheckResult> {
	const {backend, progress} = context;
	const key = backend.environmentRenderKey;
	if (!key) {
		return fail('RENDER_API_KEY is not set in this shell.', 'A Render context reads its API key from the environment at each start, so setup does not store one: export RENDER_API_KEY=<key> (Account settings → API keys) and start setup again.');
	}

	processRedactor.add(key);
	const platform = backend.sandbox ? 'The sandbox' : 'Render';
	progress(`Asking ${platform} which workspaces this key reaches…`);
	let workspaces;
	try {
		workspaces = await backend.listRenderWorkspaces(key);
	} catch (error) {
		if (error instanceof ProviderError && error.kind === 'auth') {
			return fail(`${platform} rejected this API key (401).`, 'RENDER_API_KEY holds a key Render does not accept: create one under Account settings → API keys, export it and start setup again.');
		}

		throw error;
	}

	const token = {value: key, from: 'environment' as const};
	if (workspaces.length === 0) {
		return fail('The key was accepted but reaches no workspace.', 'Use a key of an account that is a member of the workspace.');
	}

	if (workspaces.length > 1) {
		return pass({token, workspaces}, `✔ Key accepted; it reaches ${count(workspaces.length, 'workspace')}.`);
	}

	const opened = await openRenderWorkspace(context, key, workspaces[0]!.id);
	return opened.ok ? {...opened, data: {token, workspaces, ...opened.data}} : opened;
}

async function openRenderWorkspace(context: CheckContext, key: string, workspace: string): Promise<CheckResult> {
	const {provider, project} = await context.backend.openRenderWorkspace(key, workspace);
	context.session.provider = provider;
	context.progress(`Listing the services and databases of ${project.name}…`);
	const [services, addons] = await Promise.all([provider.listServices(), provider.listAddons()]);
	return pass({project, services, addons, jobs: []}, `✔ Workspace ${project.name}: ${count(services.length, 'service')}, ${count(addons.length, 'database')}.`);
}

async function readPlan(context: CheckContext, job: {id: string; name: string}, tool: 'django' | 'alembic'): Promise<CheckResult> {
	const provider = providerOf(context);
	const plan = presets[tool].plan;
	const migration = {command: presets[tool].command, tool};
	const started = Date.now();
	const timeoutMs = context.planTimeoutMs ?? 60_000;
	context.progress(`Running "${plan}" as a run of ${job.name}…`);
	const run = await provider.startJobRun(job.id, {command: plan});
	let current: JobRun = run;
	while (current.status === 'running' || current.status === 'unknown') {
		if (!context.isCurrent()) {
			return fail('Cancelled.');
		}

		const elapsed = Date.now() - started;
		if (elapsed > timeoutMs) {
			await provider.abortJobRun(job.id, run.id).catch(() => undefined);
			return fail(`The run of ${job.name} did not finish within ${Math.round(timeoutMs / 1000)} s; it was stopped.`, `The job may be queued or its image slow to start: look at \`wheelhouse logs ${job.name}\`, then try again, or choose Custom.`);
		}

		context.progress(`Running "${plan}" as a run of ${job.name}… ${Math.round(elapsed / 1000)} s (${current.rawStatus})`);
		await context.sleep(1000);
		current = await provider.getJobRun(job.id, run.id);
	}

	const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
	const lines = await runOutput(provider, job, run.id);
	if (current.status !== 'success') {
		return fail(`The run of ${job.name} with "${plan}" ended ${current.rawStatus} after ${seconds} s.`, `Its logs: wheelhouse logs ${job.name}. Check that the job's image has ${tool === 'django' ? 'manage.py' : 'alembic'} and reaches the database, or choose another preset.`, lines);
	}

	return pass({migration}, `✔ The migration plan can be read: a run of ${job.name} succeeded in ${seconds} s.`, 'good', lines);
}

/** The last lines the run printed, for the operator to see the plan; none when the logs cannot be read. */
async function runOutput(provider: Provider, job: {id: string; name: string}, runId: string): Promise<string[]> {
	try {
		const page = await provider.fetchLogs({kind: 'job', id: job.id, name: job.name, runId}, {since: new Date(Date.now() - 10 * 60_000), limit: 200, direction: 'forward'});
		return page.lines.slice(-4).map(line => toPlainText(line.text).replace(/\s*seq=\d+$/, '').slice(0, 200));
	} catch {
		return [];
	}
}
