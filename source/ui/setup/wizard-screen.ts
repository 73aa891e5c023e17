// The wizard's screen as lines, for any size down to 80×24: where you are, what is asked, the
// fields, the outcome of the last check (or the question being asked), and the keys.
import {maskSecret} from '../../infra/redact.js';
import {type Line, lineWidth, text, truncateLine} from '../line.js';
import {textWidth, wrapWords} from '../text.js';
import type {Tone} from '../theme.js';
import {setupFooter, type SetupScope} from './setup-keys.js';
import {
	chosenOption, contextToSave, type Field, fieldText, type StepId, stepFields, stepOrder, stepTitles, toggleValue, type WizardState,
} from './wizard-model.js';

export type ScreenInfo = {
	sandbox: boolean;
	apiUrl?: string;
	configPath: string;
	secretsPath: string;
};

const questions: Record<StepId, {title: string; explanation: string}> = {
	platform: {title: 'Which platform runs your deployment?', explanation: 'wheelhouse watches it, opens shells in it and runs releases on it.'},
	credentials: {title: 'Which Northflank API token should wheelhouse use?', explanation: 'Create one under Team → Settings → API → Tokens. A pasted token goes to secrets.json (mode 0600), never into the config; an exported NORTHFLANK_TOKEN takes precedence over it.'},
	workspace: {title: 'Which Render workspace?', explanation: 'The workspaces this key reaches, listed live.'},
	project: {title: 'Which project?', explanation: 'The projects this token can see, listed live.'},
	service: {title: 'Which service do releases deploy?', explanation: 'Its builds are what releases deploy; its health is checked after each one.'},
	addon: {title: 'Which database is backed up before migrations?', explanation: 'A release backs this PostgreSQL addon up, and checks the backup, before it migrates.'},
	job: {title: 'Which job runs the migrations?', explanation: 'A release runs it with the new build\'s image before deploying.'},
	health: {title: 'Which path says the service is healthy?', explanation: 'After every deploy it must answer 200. It is probed now.'},
	migration: {title: 'Which command runs the migrations?', explanation: 'It runs as a run of the migration job. For Django and Alembic the plan is read now, by a run that changes nothing (up to 60 s).'},
	'ssh-host': {title: 'Which SSH host?', explanation: 'A Host of ~/.ssh/config, or one you type. Its host key is checked against known_hosts; a new one is shown for you to accept.'},
	'compose-project': {title: 'Which Compose project on the host?', explanation: 'Its directory on the host; `docker compose config` runs there now, over SSH, and lists its services.'},
	'compose-services': {title: 'Which services does wheelhouse release and back up?', explanation: 'Releases set the tag variable and recreate the application service; the PostgreSQL service is dumped first.'},
	identity: {title: 'Name this context and say how careful to be.', explanation: 'The name and environment show on every screen (production in red).'},
	summary: {title: 'This is what will be saved (nothing is written before enter).', explanation: ''},
};

/** Where Render differs: its key is only read from the environment, and migrations run as the pre-deploy command. */
const renderQuestions: Partial<Record<StepId, {title: string; explanation: string}>> = {
	credentials: {title: 'Which Render API key should wheelhouse use?', explanation: 'A Render context reads RENDER_API_KEY at each start; setup does not store the key. Create one under Account settings → API keys.'},
	service: {title: 'Which service do releases deploy?', explanation: 'Its deploys are what releases start; its health is checked after each one.'},
	addon: {title: 'Which database is backed up before migrations?', explanation: 'A release exports this Render Postgres database, and checks the export, before it deploys.'},
	migration: {title: 'Which command runs the migrations?', explanation: 'A release sets it as the service\'s pre-deploy command: Render runs it from the new build before it takes traffic.'},
};

const questionOf = (state: WizardState): {title: string; explanation: string} => (state.data.platform === 'render' ? renderQuestions[state.step] : undefined) ?? questions[state.step];

export function activeSetupScopes(state: WizardState): SetupScope[] {
	if (state.saved) {
		return ['always', state.data.platform === 'ssh' ? 'saved-host' : 'saved'];
	}

	if (state.question) {
		return ['always', 'question'];
	}

	if (state.busy) {
		return ['always', 'busy'];
	}

	if (state.step === 'summary') {
		return ['always', 'summary'];
	}

	const field = stepFields(state)[state.focus];
	return ['always', ...(field ? [field.kind] : []) as SetupScope[], 'editing'];
}

function header(state: WizardState, info: ScreenInfo, width: number): Line {
	const order = stepOrder(state.data, state.step === 'platform' ? chosenPlatform(state) : state.data.platform);
	const index = order.indexOf(state.step);
	const left: Line = [text('wheelhouse setup', 'accent', true)];
	if (!state.saved) {
		left.push(text(`  step ${index + 1} of ${order.length} · `, 'muted'), text(stepTitles[state.step], undefined, true));
	}

	const right: Line = info.sandbox ? [{text: ' SANDBOX ', tone: 'warn', inverse: true, bold: true}] : [];
	const gap = Math.max(1, width - lineWidth(left) - lineWidth(right));
	return truncateLine([...left, text(' '.repeat(gap)), ...right], width);
}

function chosenPlatform(state: WizardState): 'northflank' | 'render' | 'compose' | 'ssh' | undefined {
	const field = stepFields(state, 'platform')[0];
	const chosen = field?.kind === 'choice' ? chosenOption(state, 'platform', field)?.value : undefined;
	return chosen === 'ssh' || chosen === 'render' || chosen === 'compose' ? chosen : 'northflank';
}

/** ✔ done steps, ▸ this one, · the ones to come. */
function breadcrumb(state: WizardState, width: number): Line {
	const order = stepOrder(state.data, state.step === 'platform' ? chosenPlatform(state) : state.data.platform);
	const index = order.indexOf(state.step);
	const marks = order.map((step, position) => position < index || state.saved ? text(`✔ ${stepTitles[step]}`, 'good') : (position === index ? text(`▸ ${stepTitles[step]}`, 'accent', true) : text(`· ${stepTitles[step]}`, 'muted')));
	const joined = (from: number): Line => [...(from > 0 ? [text('… ', 'muted')] : []), ...marks.slice(from).flatMap((mark, position) => position === 0 ? [mark] : [text('  '), mark])];
	// Done steps scroll off to the left, so the current one stays in view.
	let from = 0;
	const throughCurrent = (start: number): Line => joined(start).slice(0, (start > 0 ? 1 : 0) + ((index - start) * 2) + 1);
	while (from < index && lineWidth(throughCurrent(from)) > width) {
		from++;
	}

	return truncateLine(joined(from), width);
}

function wrapped(value: string, width: number, maxLines: number, tone?: Tone): Line[] {
	return wrapWords(value, width, maxLines).map(row => [text(row, tone)]);
}

function choiceLines(state: WizardState, field: Extract<Field, {kind: 'choice'}>, focused: boolean, rows: number): Line[] {
	const lines: Line[] = [];
	if (field.label) {
		lines.push([text(field.label, focused ? 'accent' : undefined, true)]);
	}

	const chosen = chosenOption(state, state.step, field);
	const chosenIndex = chosen ? field.options.indexOf(chosen) : 0;
	const room = Math.max(1, rows - lines.length);
	let start = 0;
	let end = field.options.length;
	if (field.options.length > room) {
		const visible = Math.max(1, room - 2);
		start = Math.min(Math.max(0, chosenIndex - Math.floor(visible / 2)), field.options.length - visible);
		end = start + visible;
	}

	if (start > 0) {
		lines.push([text(`    ↑ ${start} more`, 'muted')]);
	}

	for (const option of field.options.slice(start, end)) {
		const isChosen = option === chosen;
		if (option.disabled) {
			lines.push([text(`  ( ) ${option.label}`, 'muted'), text(` — ${option.disabled}`, 'muted')]);
			continue;
		}

		const mark = isChosen ? '(•)' : '( )';
		const label: Line = isChosen && focused
			? [text('▸ ', 'accent', true), {text: `${mark} ${option.label}`, tone: 'accent', bold: true, inverse: true}]
			: [text('  '), text(`${mark} ${option.label}`, option.tone, isChosen)];
		lines.push([...label, ...(option.detail ? [text(`  ${option.detail}`, 'muted')] : [])]);
	}

	if (end < field.options.length) {
		lines.push([text(`    ↓ ${field.options.length - end} more`, 'muted')]);
	}

	return lines;
}

const cursor = text('▏', 'accent');

function textLine(state: WizardState, field: Extract<Field, {kind: 'text'}>, focused: boolean): Line {
	const content = fieldText(state, state.step, field.id);
	const label = text(`${field.label}: `, focused ? 'accent' : undefined, true);
	if (content === '') {
		return [label, ...(focused ? [cursor] : []), text(field.placeholder ?? '', 'muted')];
	}

	if (field.masked) {
		const shown = `${'•'.repeat(Math.min(content.length, 24))}  (${content.length} characters, ${maskSecret(content)})`;
		return [label, text(shown), ...(focused ? [cursor] : [])];
	}

	return [label, text(content), ...(focused ? [cursor] : [])];
}

function toggleLine(state: WizardState, field: Extract<Field, {kind: 'toggle'}>, focused: boolean): Line {
	const on = toggleValue(state, state.step, field.id);
	const box = on ? '[x]' : '[ ]';
	return focused
		? [text('▸ ', 'accent', true), {text: `${box} ${field.label}`, tone: 'accent', bold: true, inverse: true}]
		: [text(`  ${box} ${field.label}`, on ? undefined : 'muted')];
}

function fieldLines(state: WizardState, rows: number): Line[] {
	const fields = stepFields(state);
	const fixed = fields.filter(field => field.kind !== 'choice').length + fields.filter(field => field.kind === 'choice' && field.label).length + Math.max(0, fields.length - 1);
	const choices = fields.filter(field => field.kind === 'choice').length;
	const perChoice = choices > 0 ? Math.max(3, Math.floor((rows - fixed) / choices)) : 0;
	const lines: Line[] = [];
	for (const [index, field] of fields.entries()) {
		if (index > 0) {
			lines.push([]);
		}

		const focused = index === state.focus && !state.busy && !state.question;
		if (field.kind === 'choice') {
			lines.push(...choiceLines(state, field, focused, perChoice + (field.label ? 1 : 0)));
		} else if (field.kind === 'text') {
			lines.push(textLine(state, field, focused));
		} else {
			lines.push(toggleLine(state, field, focused));
		}
	}

	return lines;
}

/** The context as JSON, keys packed onto as few lines as fit. */
function packedJson(object: Record<string, unknown>, width: number, indent: string): Line[] {
	const entries = Object.entries(object).map(([key, entry]) => `${JSON.stringify(key)}: ${JSON.stringify(entry)}`);
	const rows: string[] = [];
	let row = '';
	for (const [index, entry] of entries.entries()) {
		const piece = `${entry}${index < entries.length - 1 ? ',' : ''}`;
		if (row !== '' && textWidth(`${indent}${row} ${piece}`) > width) {
			rows.push(row);
			row = piece;
		} else {
			row = row === '' ? piece : `${row} ${piece}`;
		}
	}

	if (row !== '') {
		rows.push(row);
	}

	return rows.map(entry => [text(`${indent}${entry}`)]);
}

function summaryLines(state: WizardState, info: ScreenInfo, width: number): Line[] {
	const identity = state.data.identity;
	const context = contextToSave(state.data, info.sandbox, info.apiUrl);
	if (!identity || !context) {
		return [[text('Something is missing: go back and answer every step.', 'bad')]];
	}

	const lines: Line[] = [
		[text('The context, as the current one, in ', 'muted'), text(info.configPath, 'accent')],
		[text(`  ${JSON.stringify(identity.name)}: {`)],
		...packedJson(context as Record<string, unknown>, width, '    '),
		[text('  }')],
		[text(`  "current": ${JSON.stringify(identity.name)}`)],
	];
	const token = state.data.token;
	if (token?.from === 'pasted') {
		lines.push([], [text('Its token, in ', 'muted'), text(info.secretsPath, 'accent'), text(' (mode 0600):', 'muted')], [text(`  ${maskSecret(token.value)}`, undefined, true)]);
		if (state.environmentToken) {
			// The platform's convention wins: say so before the operator wonders which token is used.
			lines.push(...wrapped(`▲ NORTHFLANK_TOKEN (${state.environmentToken}) is set in this shell and is used instead; unset it to use this one.`, width, 2, 'warn'));
		}
	} else if (token) {
		lines.push([], [text(`The ${state.data.platform === 'render' ? 'key is read from RENDER_API_KEY' : 'token is read from NORTHFLANK_TOKEN'} at each start; no secret is stored.`, 'muted')]);
	}

	const safety = [identity.environment, identity.protected ? 'protected' : '', identity.readOnly ? 'read-only' : ''].filter(Boolean).join(', ');
	lines.push([text(`Shown as ${identity.name} (${safety}).`, identity.environment === 'production' ? 'bad' : 'muted')]);
	return lines;
}

function savedLines(state: WizardState, info: ScreenInfo): Line[] {
	const name = state.saved?.name ?? '';
	return [
		[text(`✔ Saved context ${name}; it is now the current context.`, 'good', true)],
		[],
		[text('Config: ', 'muted'), text(info.configPath)],
		...(state.data.token?.from === 'pasted' ? [[text('Token:  ', 'muted'), text(`${info.secretsPath} (mode 0600)`)]] : []),
		[],
		[text(state.data.platform === 'ssh' ? '`wheelhouse exec` opens a shell there; `wheelhouse exec -- CMD` runs one command.' : '`wheelhouse` opens it from now on; `wheelhouse context list` shows every context.', 'muted')],
	];
}

function messageLines(state: WizardState, width: number): Line[] {
	if (state.question) {
		const {question} = state;
		const button = (label: string, on: boolean): Line => on ? [{text: `[ ${label} ]`, tone: 'warn', inverse: true, bold: true}] : [text(`  ${label}  `, 'muted')];
		return [
			[text(`The authenticity of host '${question.host}' can't be established.`, 'warn', true)],
			// The fingerprint is compared character by character: it is never cut.
			...(textWidth(`${question.keyType} key fingerprint is ${question.fingerprint}.`) <= width
				? [[text(`${question.keyType} key fingerprint is `), text(question.fingerprint, undefined, true), text('.')]]
				: [[text(`${question.keyType} key fingerprint is`)], [text(question.fingerprint, undefined, true)]]),
			...wrapped(`Compare it with the one the host's administrator gives you. Accept records it in ${question.knownHostsFile ?? 'known_hosts'}.`, width, 2, 'muted'),
			[...button('Accept', question.choice === 'accept'), text('   '), ...button('Decline', question.choice === 'decline')],
		];
	}

	if (state.busy) {
		return [[text(`◌ ${state.busy.text}`, 'busy')]];
	}

	const {message} = state;
	if (!message) {
		return [];
	}

	return [
		...wrapped(message.text, width, 3, message.tone),
		...(message.hint ? wrapped(message.hint, width, 2, 'warn') : []),
		...(message.detail ?? []).map(detail => [text(`  │ ${detail}`, 'muted')]),
	];
}

/** Exactly `height` lines of at most `width` columns. The fields come first; the message gets the rest. */
export function wizardScreen(state: WizardState, info: ScreenInfo, width: number, height: number): Line[] {
	const scopes = activeSetupScopes(state);
	const footer = setupFooter(scopes, width, state.trail.length === 0);
	const messages = messageLines(state, width);
	const top: Line[] = [header(state, info, width), state.saved ? [] : breadcrumb(state, width), []];
	// The outcome's first lines stay in view however long the step is.
	const reserved = Math.min(messages.length, 3);
	const room = Math.max(1, height - top.length - 2 - reserved);
	let body: Line[];
	if (state.saved) {
		body = savedLines(state, info);
	} else {
		const question = questionOf(state);
		const intro: Line[] = [[text(question.title, undefined, true)], ...(question.explanation ? wrapped(question.explanation, width, 3, 'muted') : []), []];
		body = [...intro, ...(state.step === 'summary' ? summaryLines(state, info, width) : fieldLines(state, Math.max(3, room - intro.length)))];
	}

	const lines = [...top, ...body.slice(0, room)];
	// A blank row between the fields and the message, when there is room for one.
	const withGap = messages.slice(0, Math.max(0, height - lines.length - 3));
	const shown = withGap.length > 0 ? withGap : messages.slice(0, Math.max(0, height - lines.length - 2));
	while (lines.length + shown.length < height - 2) {
		lines.push([]);
	}

	lines.push(...shown, [], footer);
	return lines.slice(0, height).map(line => truncateLine(line, width));
}
