// Checks a (migrated) config document key by key, so a hand-edited file gets a message that names
// the key, what is wrong with it and how to write it. The same table gives conf its JSON schema.
import {UsageError} from '../core/errors.js';
import {isRecord} from './config-migrations.js';
import type {ConfigFile, ContextConfig} from './config.js';

type FieldSpec = {
	type: 'string' | 'boolean' | 'enum' | 'strings';
	values?: readonly string[];
	/** A problem with a string's value, or undefined. */
	check?: (value: string) => string | undefined;
	/** How the value is written, for hints: `"notechondria"`, `true`. */
	example: string;
};

const variableName = (value: string) => /^[A-Za-z_]\w*$/.test(value) ? undefined : 'is not an environment variable name (letters, digits and _, not starting with a digit)';
const nonEmpty = (value: string) => value.trim() === '' ? 'is empty' : undefined;
const httpUrl = (value: string) => {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `is a ${url.protocol}// address, not http:// or https://`;
	} catch {
		return 'is not a URL';
	}
};

const absolutePath = (value: string) => value.startsWith('/') && !/\s/.test(value) ? undefined : 'does not start with / (or has spaces)';

const serviceName = (value: string) => /^[a-zA-Z\d][\w.-]*$/.test(value) ? undefined : 'is not a Compose service name (letters, digits, ".", "_" and "-")';

const safetyFields: Record<string, FieldSpec> = {
	readOnly: {type: 'boolean', example: 'true'},
	environment: {type: 'enum', values: ['production', 'staging', 'development'], example: '"production"'},
	protected: {type: 'boolean', example: 'true'},
};

const northflankFields: Record<string, FieldSpec> = {
	project: {type: 'string', check: nonEmpty, example: '"notechondria"'},
	team: {type: 'string', check: nonEmpty, example: '"my-team"'},
	url: {type: 'string', check: httpUrl, example: '"https://api.northflank.com"'},
	tokenEnv: {type: 'string', check: variableName, example: '"NORTHFLANK_TOKEN"'},
	tokenSecret: {type: 'boolean', example: 'true'},
	sandbox: {type: 'boolean', example: 'true'},
	service: {type: 'string', check: nonEmpty, example: '"notechondria-backend"'},
	addon: {type: 'string', check: nonEmpty, example: '"notechondria-postgres"'},
	job: {type: 'string', check: nonEmpty, example: '"notechondria-migrate"'},
	migrateCommand: {type: 'string', check: nonEmpty, example: '"python manage.py migrate"'},
	migrationTool: {type: 'enum', values: ['django', 'alembic'], example: '"django"'},
	healthPath: {type: 'string', check: absolutePath, example: '"/api/health/"'},
	databaseUrlEnv: {type: 'string', check: variableName, example: '"DATABASE_URL"'},
	...safetyFields,
};

const sshFields: Record<string, FieldSpec> = {
	destination: {type: 'string', check: nonEmpty, example: '"deploy@app.example.com"'},
	...safetyFields,
};

const renderFields: Record<string, FieldSpec> = {
	workspace: {type: 'string', check: nonEmpty, example: '"tea-d0abc123" or "My Team"'},
	apiKeyEnv: {type: 'string', check: variableName, example: '"RENDER_API_KEY"'},
	url: {type: 'string', check: httpUrl, example: '"https://api.render.com"'},
	service: {type: 'string', check: nonEmpty, example: '"notechondria-backend"'},
	addon: {type: 'string', check: nonEmpty, example: '"notechondria-postgres"'},
	healthPath: {type: 'string', check: absolutePath, example: '"/api/health/"'},
	migrateCommand: {type: 'string', check: nonEmpty, example: '"python manage.py migrate"'},
	...safetyFields,
};

const composeFields: Record<string, FieldSpec> = {
	destination: {type: 'string', check: nonEmpty, example: '"deploy@app.example.com"'},
	projectDir: {type: 'string', check: absolutePath, example: '"/srv/app"'},
	files: {type: 'strings', check: nonEmpty, example: '["compose.yml", "compose.prod.yml"]'},
	appService: {type: 'string', check: serviceName, example: '"backend"'},
	dbService: {type: 'string', check: serviceName, example: '"db"'},
	tagVariable: {type: 'string', check: variableName, example: '"APP_TAG"'},
	healthPath: {type: 'string', check: absolutePath, example: '"/api/health/"'},
	migrateCommand: {type: 'string', check: nonEmpty, example: '"python manage.py migrate"'},
	...safetyFields,
};

const platforms = {
	northflank: {fields: northflankFields, required: {project: 'the project\'s id or name'}, label: 'A Northflank context'},
	ssh: {fields: sshFields, required: {destination: 'user@host[:port] or a Host alias of ~/.ssh/config'}, label: 'An SSH host context'},
	render: {fields: renderFields, required: {}, label: 'A Render context'},
	compose: {
		fields: composeFields,
		required: {
			destination: 'user@host[:port] or a Host alias of ~/.ssh/config',
			projectDir: 'the project directory on the host',
			appService: 'the application\'s service in the compose file',
			dbService: 'the PostgreSQL service in the compose file',
			tagVariable: 'the variable the compose file takes the image tag from',
		},
		label: 'A Compose context',
	},
} as const;

const topLevelKeys = ['version', 'current', 'contexts'];

function invalid(path: string, reason: string, fix: string): UsageError {
	return new UsageError(`The config file ${path} is not valid: ${reason}.`, `${fix} wheelhouse has left the file untouched.`);
}

function describe(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	if (Array.isArray(value)) {
		return 'a list';
	}

	return typeof value === 'string' ? `"${value}" (text)` : `${JSON.stringify(value)} (a ${typeof value})`;
}

/** A known key within two edits (or differing only in case) of a mistyped one. */
export function closest(word: string, known: readonly string[]): string | undefined {
	const lower = word.toLowerCase();
	return known.find(candidate => candidate.toLowerCase() === lower)
		?? known.find(candidate => editDistance(candidate.toLowerCase(), lower) <= 2);
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (const [i, charA] of [...a].entries()) {
		const current = [i + 1];
		for (const [j, charB] of [...b].entries()) {
			current.push(Math.min(previous[j + 1]! + 1, current[j]! + 1, previous[j]! + (charA === charB ? 0 : 1)));
		}

		previous = current;
	}

	return previous[b.length]!;
}

function checkField(path: string, key: string, name: string, spec: FieldSpec, value: unknown): void {
	const where = `contexts.${name}.${key}`;
	if (spec.type === 'boolean') {
		if (typeof value !== 'boolean') {
			throw invalid(path, `${where} is ${describe(value)}, but must be true or false`, `Write "${key}": ${spec.example} (without quotes), or remove it.`);
		}

		return;
	}

	if (spec.type === 'strings') {
		if (!Array.isArray(value) || value.length === 0 || !value.every(item => typeof item === 'string' && spec.check?.(item) === undefined)) {
			throw invalid(path, `${where} is ${describe(value)}, but must be a list of file names`, `Write "${key}": ${spec.example}, or remove it.`);
		}

		return;
	}

	if (typeof value !== 'string') {
		throw invalid(path, `${where} is ${describe(value)}, but must be text`, `Write "${key}": ${spec.example}.`);
	}

	if (spec.type === 'enum' && !spec.values!.includes(value)) {
		throw invalid(path, `${where} is "${value}", which is not one of ${spec.values!.join(', ')}`, `Write "${key}": ${spec.example}.`);
	}

	const problem = spec.check?.(value);
	if (problem) {
		throw invalid(path, `${where} ${problem}`, `Write "${key}": ${spec.example}.`);
	}
}

function checkContext(path: string, name: string, context: unknown): ContextConfig {
	if (!isRecord(context)) {
		throw invalid(path, `contexts.${name} is ${describe(context)}, not an object`, `Write it as "${name}": {"platform": "northflank", "project": "…"}.`);
	}

	const {platform} = context;
	if (platform === undefined) {
		throw invalid(path, `contexts.${name}.platform is missing`, 'Add "platform": "northflank" (or "render", "compose", or "ssh" for a plain SSH host).');
	}

	if (platform !== 'northflank' && platform !== 'ssh' && platform !== 'render' && platform !== 'compose') {
		const guess = typeof platform === 'string' ? closest(platform, Object.keys(platforms)) : undefined;
		throw invalid(path, `contexts.${name}.platform is ${describe(platform)}, a platform this wheelhouse does not know`, `${guess ? `Did you mean "${guess}"? ` : ''}Use "northflank", "render", "compose", or "ssh" for a plain SSH host.`);
	}

	const {fields, required, label} = platforms[platform];
	for (const [key, value] of Object.entries(context)) {
		if (key === 'platform') {
			continue;
		}

		const spec = fields[key];
		if (!spec && /^(api)?(token|key|secret|password)$/i.test(key)) {
			const fix = platform === 'render' ? 'Remove it; export RENDER_API_KEY (or name another variable with "apiKeyEnv").' : 'Remove it; store the token with `wheelhouse setup` (it goes to secrets.json, mode 0600), or export NORTHFLANK_TOKEN.';
			throw invalid(path, `contexts.${name} has the key "${key}": secrets do not belong in the config file`, fix);
		}

		if (!spec) {
			const guess = closest(key, Object.keys(fields));
			throw invalid(path, `contexts.${name} has the key "${key}", which a ${platform} context does not have`, guess ? `Did you mean "${guess}"?` : `Remove it; a ${platform} context knows ${Object.keys(fields).join(', ')}.`);
		}

		checkField(path, key, name, spec, value);
	}

	for (const [key, what] of Object.entries(required)) {
		if (context[key] === undefined) {
			throw invalid(path, `contexts.${name}.${key} is missing`, `${label} needs "${key}": ${what as string}, e.g. "${key}": ${fields[key]!.example}.`);
		}
	}

	if (platform === 'northflank' && context.tokenEnv !== undefined && context.tokenSecret === true) {
		throw invalid(path, `contexts.${name} has both tokenEnv and tokenSecret`, 'Keep one: tokenEnv reads the token from that environment variable, tokenSecret from secrets.json.');
	}

	return context as ContextConfig;
}

/** The whole document, checked; `current` must name a context unless the caller can repair it. */
export function validateConfig(document: Record<string, unknown>, path: string, options: {allowUnknownCurrent?: boolean}): ConfigFile {
	for (const key of Object.keys(document)) {
		// conf's own bookkeeping, should a file ever have been written with its migrations.
		if (!topLevelKeys.includes(key) && key !== '__internal__') {
			const guess = closest(key, topLevelKeys);
			throw invalid(path, `it has the key "${key}" at the top level`, guess ? `Did you mean "${guess}"?` : `Remove it; the top level holds ${topLevelKeys.join(', ')}.`);
		}
	}

	const contextsValue = document.contexts ?? {};
	if (!isRecord(contextsValue)) {
		throw invalid(path, `"contexts" is ${describe(contextsValue)}, not an object of named contexts`, 'Write it as "contexts": {"prod": {"platform": "northflank", "project": "…"}}.');
	}

	const contexts: Record<string, ContextConfig> = {};
	for (const [name, context] of Object.entries(contextsValue)) {
		contexts[name] = checkContext(path, name, context);
	}

	const {current} = document;
	if (current !== undefined && typeof current !== 'string') {
		throw invalid(path, `"current" is ${describe(current)}, but must be a context's name`, 'Write "current": "<context name>", or remove it.');
	}

	if (current !== undefined && !options.allowUnknownCurrent && !(current in contexts)) {
		const known = Object.keys(contexts);
		throw invalid(path, `"current" is "${current}", but no context has that name`, `Known contexts: ${known.join(', ') || 'none'}. Run \`wheelhouse context use NAME\`, or fix "current".`);
	}

	return {version: document.version as number, ...(current === undefined ? {} : {current}), contexts};
}

/** conf's JSON schema, from the same table: a last check on what is written. */
export function confSchema(): Record<string, unknown> {
	const property = (spec: FieldSpec) => {
		switch (spec.type) {
			case 'boolean': {
				return {type: 'boolean'};
			}

			case 'enum': {
				return {enum: spec.values};
			}

			case 'strings': {
				return {type: 'array', items: {type: 'string', minLength: 1}};
			}

			default: {
				return {type: 'string', minLength: 1};
			}
		}
	};

	const fields = {...northflankFields, ...sshFields, ...renderFields, ...composeFields};
	return {
		version: {type: 'number'},
		current: {type: 'string'},
		contexts: {
			type: 'object',
			additionalProperties: {
				type: 'object',
				required: ['platform'],
				properties: {platform: {enum: Object.keys(platforms)}, ...Object.fromEntries(Object.entries(fields).map(([key, spec]) => [key, property(spec)]))},
				allOf: Object.entries(platforms).map(([platform, {required}]) => ({if: {properties: {platform: {const: platform}}}, then: {required: Object.keys(required)}})),
			},
		},
	};
}
