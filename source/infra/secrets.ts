// API tokens given by value, kept apart from the config in secrets.json (mode 0600, its directory
// 0700), keyed by context name. Every token read joins the process redactor, so no message, log or
// crash report can print it; the config file only says `tokenSecret: true`.
import {randomBytes} from 'node:crypto';
import {chmodSync, readFileSync, statSync} from 'node:fs';
import {chmod, mkdir, open, rename, rm} from 'node:fs/promises';
import {basename, join} from 'node:path';
import {UsageError} from '../core/errors.js';
import {configDirectory} from './config-path.js';
import {isRecord} from './config-migrations.js';
import {processRedactor} from './redact.js';

export type Secrets = {
	path: string;
	/** Context name → API token. */
	tokens: Record<string, string>;
};

export function secretsFilePath(directory = configDirectory()): string {
	return join(directory, 'secrets.json');
}

/** The stored tokens (none when the file does not exist); refuses a file other users can read. */
export function readSecrets(directory = configDirectory()): Secrets {
	const path = secretsFilePath(directory);
	let text: string;
	try {
		const mode = statSync(path).mode & 0o777;
		if ((mode & 0o077) !== 0) {
			throw new UsageError(`The secrets file ${path} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}).`, `Run \`chmod 600 ${path}\`; wheelhouse only uses tokens from a file only you can read.`);
		}

		text = readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {path, tokens: {}};
		}

		if (error instanceof UsageError) {
			throw error;
		}

		throw new UsageError(`Cannot read the secrets file ${path}: ${(error as Error).message}.`, 'Check the file\'s owner and permissions.');
	}

	const tokens = parseSecrets(text, path);
	for (const token of Object.values(tokens)) {
		processRedactor.add(token);
	}

	return {path, tokens};
}

function parseSecrets(text: string, path: string): Record<string, string> {
	let document: unknown;
	try {
		document = JSON.parse(text);
	} catch {
		// The parser's message quotes the text around the problem, which may be a token: say only where.
		throw new UsageError(`The secrets file ${path} is not valid JSON.`, 'Remove it and store the tokens again with `wheelhouse setup` (its contexts keep their other settings).');
	}

	const tokens = isRecord(document) ? document.tokens : undefined;
	if (!isRecord(tokens) || !Object.values(tokens).every(token => typeof token === 'string')) {
		throw new UsageError(`The secrets file ${path} is not valid: "tokens" must map context names to tokens.`, 'Remove it and store the tokens again with `wheelhouse setup`.');
	}

	return tokens as Record<string, string>;
}

/**
 * Creates the directory with mode 0700. An existing one is narrowed to 0700 only when it is
 * wheelhouse's own (named `wheelhouse`): WHEELHOUSE_CONFIG_DIR may name a directory others share.
 */
export async function ensurePrivateDirectory(directory: string): Promise<void> {
	await mkdir(directory, {recursive: true, mode: 0o700});
	if (basename(directory) === 'wheelhouse' && (statSync(directory).mode & 0o077) !== 0) {
		await chmod(directory, 0o700);
	}
}

/** Stores (or, with undefined, removes) the token of one context; the file is replaced atomically. */
export async function storeToken(contextName: string, token: string | undefined, directory = configDirectory()): Promise<void> {
	const current = readSecrets(directory);
	const tokens = {...current.tokens};
	if (token === undefined) {
		if (!(contextName in tokens)) {
			return;
		}

		delete tokens[contextName];
	} else {
		processRedactor.add(token);
		tokens[contextName] = token;
	}

	await ensurePrivateDirectory(directory);
	await writePrivateFile(current.path, `${JSON.stringify({version: 1, tokens}, undefined, '\t')}\n`);
}

/** Written to a temporary file of mode 0600 first, then renamed over the old one. */
async function writePrivateFile(path: string, content: string): Promise<void> {
	const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
	const handle = await open(temporary, 'wx', 0o600);
	try {
		await handle.writeFile(content);
		await handle.sync();
	} finally {
		await handle.close();
	}

	try {
		chmodSync(temporary, 0o600);
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}
