// The setup wizard as data: which steps there are, what each one asks (fields and their choices),
// what the operator has answered so far, and the one reducer that changes it. Pure: no I/O, no React.
import type {Addon, Job, Project, Service} from '../../core/types.js';
import type {ContextConfig, Environment} from '../../infra/config.js';
import {maskSecret} from '../../infra/redact.js';
import type {Tone} from '../theme.js';
import type {HostKeyQuestion} from './setup-backend.js';

export type StepId =
	| 'platform' | 'credentials' | 'workspace' | 'project' | 'service' | 'addon' | 'job' | 'health' | 'migration'
	| 'ssh-host' | 'compose-project' | 'compose-services' | 'identity' | 'summary';

export type Option = {value: string; label: string; detail?: string; tone?: Tone; disabled?: string};

export type Field =
	| {kind: 'choice'; id: string; label?: string; options: Option[]}
	| {kind: 'text'; id: string; label: string; masked?: boolean; placeholder?: string}
	| {kind: 'toggle'; id: string; label: string};

/** What the checks found out; later steps and the summary read it. */
export type WizardData = {
	platform?: 'northflank' | 'render' | 'compose' | 'ssh';
	token?: {value: string; from: 'environment' | 'pasted'};
	team?: string;
	projects?: Project[];
	/** Render: the workspaces (owners) the API key reaches. */
	workspaces?: Project[];
	project?: Project;
	services?: Service[];
	addons?: Addon[];
	jobs?: Job[];
	/** null: the operator chose none. */
	service?: Service | null;
	addon?: Addon | null;
	job?: Job | null;
	healthPath?: string;
	migration?: {command: string; tool?: 'django' | 'alembic'};
	sshHosts?: string[];
	destination?: string;
	/** Compose: the project on the host, as `docker compose config` describes it. */
	composeProject?: {directory: string; name: string; services: string[]};
	compose?: {appService: string; dbService: string; tagVariable: string};
	identity?: {name: string; environment: Environment; protected: boolean; readOnly: boolean};
};

export type Message = {tone: Tone; text: string; hint?: string; detail?: string[]};

export type WizardState = {
	step: StepId;
	/** Steps passed on the way here, for going back. */
	trail: StepId[];
	/** Answers by `step.field`; kept when going back and forth. */
	values: Record<string, string | boolean>;
	/** Which visible field of the step has the keyboard. */
	focus: number;
	data: WizardData;
	/** A live check running: what it is doing. */
	busy?: {text: string; generation: number};
	generation: number;
	message?: Message;
	question?: HostKeyQuestion & {choice: 'accept' | 'decline'};
	/** The context was written. */
	saved?: {name: string};
	/** NORTHFLANK_TOKEN of the shell, masked (`nf_…a1b2`), when it is set. */
	environmentToken?: string;
	/** RENDER_API_KEY of the shell, masked, when it is set. */
	environmentRenderKey?: string;
};

export function initialWizardState(environmentToken?: string, environmentRenderKey?: string): WizardState {
	return {
		step: 'platform', trail: [], values: {}, focus: 0, data: {}, generation: 0,
		...(environmentToken ? {environmentToken: maskSecret(environmentToken)} : {}),
		...(environmentRenderKey ? {environmentRenderKey: maskSecret(environmentRenderKey)} : {}),
	};
}

export const stepTitles: Record<StepId, string> = {
	platform: 'Platform',
	credentials: 'API token',
	workspace: 'Workspace',
	project: 'Project',
	service: 'Service',
	addon: 'Database addon',
	job: 'Migration job',
	health: 'Health path',
	migration: 'Migration command',
	'ssh-host': 'SSH host',
	'compose-project': 'Project directory',
	'compose-services': 'Services',
	identity: 'Name and safety',
	summary: 'Summary',
};

const none = '__none__';
const typed = '__typed__';

export const presets = {
	django: {command: 'python manage.py migrate', plan: 'python manage.py showmigrations --plan', label: 'Django'},
	alembic: {command: 'alembic upgrade head', plan: 'alembic history --indicate-current', label: 'Alembic'},
} as const;

/** The steps of a platform, in order; those that do not apply (no service: no health path) are left out. */
export function stepOrder(data: WizardData, platform = data.platform): StepId[] {
	if (platform === 'ssh') {
		return ['platform', 'ssh-host', 'identity', 'summary'];
	}

	if (platform === 'compose') {
		return ['platform', 'ssh-host', 'compose-project', 'compose-services', 'identity', 'summary'];
	}

	if (platform === 'render') {
		// The workspace is asked only once the key reaches several (one is picked without asking); Render runs
		// migrations as the pre-deploy command, not as a job.
		return ['platform', 'credentials', 'workspace', 'service', 'addon', 'health', 'migration', 'identity', 'summary']
			.filter(step => !(step === 'workspace' && (data.workspaces?.length ?? 0) <= 1) && !(step === 'health' && data.service === null)) as StepId[];
	}

	return ['platform', 'credentials', 'project', 'service', 'addon', 'job', 'health', 'migration', 'identity', 'summary']
		.filter(step => !(step === 'health' && data.service === null) && !(step === 'migration' && data.job === null)) as StepId[];
}

export function nextStep(state: WizardState, data: WizardData): StepId {
	const order = stepOrder(data);
	return order[order.indexOf(state.step) + 1] ?? 'summary';
}

export const value = (state: WizardState, step: StepId, field: string): string | boolean | undefined => state.values[`${step}.${field}`];

export const textValue = (state: WizardState, step: StepId, field: string): string => {
	const found = value(state, step, field);
	return typeof found === 'string' ? found : '';
};

/** The option a choice field stands on: the one chosen before, else the first that can be chosen. */
export function chosenOption(state: WizardState, step: StepId, field: Extract<Field, {kind: 'choice'}>): Option | undefined {
	const chosen = value(state, step, field.id);
	return field.options.find(option => option.value === chosen && !option.disabled) ?? field.options.find(option => !option.disabled);
}

export function toggleValue(state: WizardState, step: StepId, field: string): boolean {
	const found = value(state, step, field);
	if (typeof found === 'boolean') {
		return found;
	}

	// Production is protected unless the operator says otherwise.
	return field === 'protected' ? chosenEnvironment(state) === 'production' : false;
}

function chosenEnvironment(state: WizardState): Environment {
	const chosen = value(state, 'identity', 'environment');
	return chosen === 'staging' || chosen === 'development' ? chosen : 'production';
}

/** The fields a step shows now (some appear only for a choice: the token field for "paste"). */
export function stepFields(state: WizardState, step: StepId = state.step): Field[] {
	const {data} = state;
	switch (step) {
		case 'platform': {
			return [{kind: 'choice', id: 'platform', options: [
				{value: 'northflank', label: 'Northflank', detail: 'services, builds, addons and jobs through its API'},
				{value: 'render', label: 'Render', detail: 'services, deploys and Postgres through its API'},
				{value: 'compose', label: 'Docker Compose host over SSH', detail: 'docker compose on a server, run over SSH'},
				{value: 'ssh', label: 'SSH host (exec only)', detail: 'a server or bastion: wheelhouse exec opens a shell there'},
			]}];
		}

		case 'credentials': {
			if (data.platform === 'render') {
				// A Render context reads its key from the environment at each start; none is stored.
				return [{kind: 'choice', id: 'source', label: 'API key', options: [
					{value: 'environment', label: 'Use RENDER_API_KEY from this shell', ...(state.environmentRenderKey ? {detail: state.environmentRenderKey} : {disabled: 'RENDER_API_KEY is not set'})},
				]}];
			}

			const source: Field = {kind: 'choice', id: 'source', label: 'Token', options: [
				{value: 'environment', label: 'Use NORTHFLANK_TOKEN from this shell', ...(state.environmentToken ? {detail: state.environmentToken} : {disabled: 'NORTHFLANK_TOKEN is not set'})},
				{value: 'paste', label: 'Paste a token', detail: 'stored in secrets.json, readable only by you'},
			]};
			const fields: Field[] = [source];
			if (chosenOption(state, step, source)?.value === 'paste') {
				fields.push({kind: 'text', id: 'token', label: 'API token', masked: true, placeholder: 'paste it here'});
			}

			fields.push({kind: 'text', id: 'team', label: 'Team id', placeholder: 'only for an organisation token; else leave empty'});
			return fields;
		}

		case 'workspace': {
			return [{kind: 'choice', id: 'workspace', options: (data.workspaces ?? []).map(workspace => ({value: workspace.id, label: workspace.name, detail: workspace.id}))}];
		}

		case 'project': {
			const choice: Field = {kind: 'choice', id: 'project', options: [
				...(data.projects ?? []).map(project => ({value: project.id, label: project.name, detail: [project.id === project.name ? '' : project.id, project.region ?? ''].filter(Boolean).join(' · ')})),
				{value: typed, label: 'Another project: type its id or name…'},
			]};
			return chosenOption(state, step, choice)?.value === typed
				? [choice, {kind: 'text', id: 'typed', label: 'Project id or name'}]
				: [choice];
		}

		case 'service': {
			return [{kind: 'choice', id: 'service', options: [
				...(data.services ?? []).map(service => ({value: service.id, label: service.name, detail: [service.kind, service.deployment.rawStatus].filter(Boolean).join(' · ')})),
				{value: none, label: '(none)', detail: 'only watch this project: no releases'},
			]}];
		}

		case 'addon': {
			return [{kind: 'choice', id: 'addon', options: [
				...(data.addons ?? []).map(addon => ({value: addon.id, label: addon.name, detail: `${addon.type}${addon.version ? ` ${addon.version}` : ''} · ${addon.status}`, tone: addon.status === 'running' ? undefined : 'warn' as Tone})),
				{value: none, label: '(none)', detail: 'no database backups before migrations'},
			]}];
		}

		case 'job': {
			return [{kind: 'choice', id: 'job', options: [
				...(data.jobs ?? []).map(job => ({value: job.id, label: job.name, detail: job.schedule ? `${job.kind} ${job.schedule}` : job.kind})),
				{value: none, label: '(none)', detail: 'releases will not run migrations'},
			]}];
		}

		case 'health': {
			return [{kind: 'text', id: 'path', label: 'Path', placeholder: '/api/health/'}];
		}

		case 'migration': {
			if (data.platform === 'render') {
				const choice: Field = {kind: 'choice', id: 'preset', options: [
					{value: 'django', label: `Django: ${presets.django.command}`},
					{value: 'alembic', label: `Alembic: ${presets.alembic.command}`},
					{value: 'custom', label: 'Custom command…'},
					{value: none, label: '(none)', detail: 'releases deploy without migrating'},
				]};
				return chosenOption(state, step, choice)?.value === 'custom'
					? [choice, {kind: 'text', id: 'command', label: 'Command'}]
					: [choice];
			}

			const choice: Field = {kind: 'choice', id: 'preset', options: [
				{value: 'django', label: `Django: ${presets.django.command}`, detail: 'checked with showmigrations --plan'},
				{value: 'alembic', label: `Alembic: ${presets.alembic.command}`, detail: 'checked with alembic history'},
				{value: 'custom', label: 'Custom command…', detail: 'cannot be checked before it runs'},
			]};
			return chosenOption(state, step, choice)?.value === 'custom'
				? [choice, {kind: 'text', id: 'command', label: 'Command'}]
				: [choice];
		}

		case 'ssh-host': {
			const choice: Field = {kind: 'choice', id: 'host', options: [
				...(data.sshHosts ?? []).map(host => ({value: host, label: host, detail: 'from ~/.ssh/config'})),
				{value: typed, label: 'Type user@host[:port]…'},
			]};
			return chosenOption(state, step, choice)?.value === typed
				? [choice, {kind: 'text', id: 'typed', label: 'Destination', placeholder: 'deploy@app.example.com'}]
				: [choice];
		}

		case 'compose-project': {
			return [{kind: 'text', id: 'directory', label: 'Project directory', placeholder: '/srv/app'}];
		}

		case 'compose-services': {
			const services = data.composeProject?.services ?? [];
			const options = (detail: string) => services.map(service => ({value: service, label: service, detail}));
			return [
				{kind: 'choice', id: 'app', label: 'Application service (releases change its image tag)', options: options('app')},
				{kind: 'choice', id: 'db', label: 'PostgreSQL service (backed up before migrations)', options: options('db')},
				{kind: 'text', id: 'tag', label: 'Tag variable', placeholder: 'APP_TAG'},
			];
		}

		case 'identity': {
			return [
				{kind: 'text', id: 'name', label: 'Name'},
				{kind: 'choice', id: 'environment', label: 'Environment', options: [
					{value: 'production', label: 'production', detail: 'shown in red everywhere', tone: 'bad'},
					{value: 'staging', label: 'staging'},
					{value: 'development', label: 'development'},
				]},
				{kind: 'toggle', id: 'protected', label: 'Protected: restarts, builds and releases need the name typed'},
				{kind: 'toggle', id: 'readOnly', label: 'Read-only: nothing that changes the deployment is offered'},
			];
		}

		case 'summary': {
			return [];
		}
	}
}

/** What the name field starts with: the project's name, or the SSH host's alias. */
export function defaultText(state: WizardState, step: StepId, field: string): string {
	if (step === 'health' && field === 'path') {
		return state.data.service?.healthPath ?? '/';
	}

	if (step === 'compose-services' && field === 'tag') {
		return 'APP_TAG';
	}

	if (step === 'identity' && field === 'name') {
		const base = state.data.platform === 'ssh' || state.data.platform === 'compose' ? (state.data.destination ?? '').replace(/^.*@/, '').replace(/:\d+$/, '') : state.data.project?.name ?? '';
		return base.replaceAll(/[^\w.-]+/g, '-').replace(/^[^A-Za-z\d]+/, '').slice(0, 63);
	}

	return '';
}

/** A text field's content: typed, else its default. */
export function fieldText(state: WizardState, step: StepId, field: string): string {
	const found = value(state, step, field);
	return typeof found === 'string' ? found : defaultText(state, step, field);
}

export {none as noneValue, typed as typedValue};

/** Exactly what setup writes for the context. */
export function contextToSave(data: WizardData, sandbox: boolean, apiUrl: string | undefined): ContextConfig | undefined {
	const identity = data.identity;
	if (!identity) {
		return undefined;
	}

	const safety = {
		environment: identity.environment,
		...(identity.protected ? {protected: true} : {}),
		...(identity.readOnly ? {readOnly: true} : {}),
	};
	if (data.platform === 'ssh') {
		return data.destination ? {platform: 'ssh', destination: data.destination, ...safety} : undefined;
	}

	if (data.platform === 'compose') {
		return data.destination && data.composeProject && data.compose
			? {platform: 'compose', destination: data.destination, projectDir: data.composeProject.directory, ...data.compose, ...safety}
			: undefined;
	}

	if (!data.project || !data.token) {
		return undefined;
	}

	if (data.platform === 'render') {
		return {
			platform: 'render',
			workspace: data.project.id,
			// The sandbox serves Render's API at its own address; Render's own needs no url.
			...(apiUrl ? {url: apiUrl} : {}),
			...(data.service ? {service: data.service.id} : {}),
			...(data.addon ? {addon: data.addon.id} : {}),
			...(data.service && data.healthPath ? {healthPath: data.healthPath} : {}),
			...(data.migration ? {migrateCommand: data.migration.command} : {}),
			...safety,
		};
	}

	return {
		platform: 'northflank',
		project: data.project.id,
		...(data.team ? {team: data.team} : {}),
		...(apiUrl ? {url: apiUrl} : {}),
		...(sandbox ? {sandbox: true} : {}),
		...(data.token.from === 'environment' ? {tokenEnv: 'NORTHFLANK_TOKEN'} : {tokenSecret: true}),
		...(data.service ? {service: data.service.id} : {}),
		...(data.addon ? {addon: data.addon.id} : {}),
		...(data.job ? {job: data.job.id} : {}),
		...(data.service && data.healthPath ? {healthPath: data.healthPath} : {}),
		...(data.job && data.migration ? {migrateCommand: data.migration.command, ...(data.migration.tool ? {migrationTool: data.migration.tool} : {})} : {}),
		...safety,
	};
}

export type WizardAction =
	| {type: 'set'; key: string; value: string | boolean}
	| {type: 'focus'; index: number}
	| {type: 'check-start'; text: string}
	| {type: 'check-progress'; generation: number; text: string}
	| {type: 'check-failed'; generation: number; message: Message}
	/** The step is answered: keep what was learnt and go on (or stay, for the summary's save). */
	| {type: 'check-passed'; generation: number; data: Partial<WizardData>; message?: Message; advance: boolean}
	| {type: 'cancel-check'}
	| {type: 'back'}
	| {type: 'data'; data: Partial<WizardData>}
	| {type: 'message'; message: Message | undefined}
	| {type: 'ask'; question: HostKeyQuestion}
	| {type: 'question-choice'; choice: 'accept' | 'decline' | 'toggle'}
	| {type: 'answered'}
	| {type: 'saved'; generation: number; name: string};

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
	switch (action.type) {
		case 'set': {
			return {...state, values: {...state.values, [action.key]: action.value}, message: state.message?.tone === 'bad' ? undefined : state.message};
		}

		case 'focus': {
			return {...state, focus: action.index};
		}

		case 'check-start': {
			const generation = state.generation + 1;
			return {...state, generation, busy: {text: action.text, generation}, message: undefined};
		}

		case 'check-progress': {
			return state.busy?.generation === action.generation ? {...state, busy: {...state.busy, text: action.text}} : state;
		}

		case 'check-failed': {
			return state.busy?.generation === action.generation ? {...state, busy: undefined, question: undefined, message: action.message} : state;
		}

		case 'check-passed': {
			if (state.busy?.generation !== action.generation) {
				return state;
			}

			const data = {...state.data, ...action.data};
			if (!action.advance) {
				return {...state, busy: undefined, data, message: action.message};
			}

			const next = nextStep(state, data);
			return {...state, busy: undefined, question: undefined, data, step: next, trail: [...state.trail, state.step], focus: 0, message: action.message};
		}

		case 'cancel-check': {
			return {...state, busy: undefined, question: undefined, generation: state.generation + 1, message: {tone: 'muted', text: 'Check cancelled; nothing was changed.'}};
		}

		case 'back': {
			const previous = state.trail.at(-1);
			if (!previous) {
				return state;
			}

			return {...state, step: previous, trail: state.trail.slice(0, -1), focus: 0, message: undefined, busy: undefined, question: undefined, generation: state.generation + 1};
		}

		case 'data': {
			return {...state, data: {...state.data, ...action.data}};
		}

		case 'message': {
			return {...state, message: action.message};
		}

		case 'ask': {
			return {...state, question: {...action.question, choice: 'decline'}};
		}

		case 'question-choice': {
			if (!state.question) {
				return state;
			}

			const choice = action.choice === 'toggle' ? (state.question.choice === 'accept' ? 'decline' : 'accept') : action.choice;
			return {...state, question: {...state.question, choice}};
		}

		case 'answered': {
			return {...state, question: undefined};
		}

		case 'saved': {
			return state.busy?.generation === action.generation ? {...state, busy: undefined, saved: {name: action.name}, message: undefined} : state;
		}
	}
}
