import {execFile} from 'node:child_process';
import {createHmac, randomBytes} from 'node:crypto';
import {appendFile, mkdir, readFile, stat} from 'node:fs/promises';
import {dirname} from 'node:path';
import {promisify} from 'node:util';
import {SshError} from './errors.js';

const run = promisify(execFile);

/** A known_hosts line that names the host, as `ssh-keygen -F` found it. */
export type KnownHostEntry = {
	file: string;
	line: number;
	marker: 'revoked' | 'cert-authority' | undefined;
	keyType: string;
	keyBase64: string;
};

/**
 * The entries for `name` (`host` or `[host]:port`) in the given files. OpenSSH's own `ssh-keygen -F`
 * does the matching, so hashed entries, patterns and negations mean what they mean to `ssh`.
 */
export async function findKnownHostEntries(name: string, files: readonly string[]): Promise<KnownHostEntry[]> {
	const entries: KnownHostEntry[] = [];
	for (const file of files) {
		if (await isFile(file)) {
			entries.push(...await findInFile(name, file));
		}
	}

	return entries;
}

async function findInFile(name: string, file: string): Promise<KnownHostEntry[]> {
	let output: string;
	try {
		output = (await run('ssh-keygen', ['-F', name, '-f', file], {encoding: 'utf8'})).stdout;
	} catch (error) {
		const failure = error as Error & {code?: unknown};
		if (failure.code === 1) {
			return [];
		}

		if (failure.code === 'ENOENT') {
			throw new SshError('config', 'Checking host keys needs OpenSSH\'s ssh-keygen, which is not installed.', {hint: 'Install the OpenSSH client (apt-get install openssh-client, brew install openssh).'});
		}

		throw new SshError('config', `Cannot read ${file} with ssh-keygen: ${failure.message}`, {hint: 'Check the known_hosts file.'});
	}

	return parseFindOutput(output, file);
}

/** `# Host NAME found: line N [REVOKED|CA]` followed by the line itself. */
function parseFindOutput(output: string, file: string): KnownHostEntry[] {
	const entries: KnownHostEntry[] = [];
	let lineNumber: number | undefined;
	for (const text of output.split('\n')) {
		const header = /^# Host .* found: line (\d+)/.exec(text);
		if (header) {
			lineNumber = Number(header[1]);
			continue;
		}

		if (lineNumber === undefined || text.trim() === '') {
			continue;
		}

		const fields = text.trim().split(/\s+/);
		const marker = fields[0] === '@revoked' ? 'revoked' : (fields[0] === '@cert-authority' ? 'cert-authority' : undefined);
		const [keyType, keyBase64] = marker ? fields.slice(2) : fields.slice(1);
		if (keyType && keyBase64) {
			entries.push({file, line: lineNumber, marker, keyType, keyBase64});
		}

		lineNumber = undefined;
	}

	return entries;
}

/**
 * Appends an accepted key. The host name is hashed (`|1|salt|HMAC-SHA1`, as OpenSSH's HashKnownHosts
 * writes it) when asked to, or when the file already holds hashed names.
 */
export async function recordKnownHost(file: string, name: string, keyType: string, keyBase64: string, options: {hash: boolean}): Promise<void> {
	const existing = await readFile(file, 'utf8').catch(() => '');
	const hash = options.hash || /^\|1\|/m.test(existing);
	const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
	await mkdir(dirname(file), {recursive: true, mode: 0o700});
	await appendFile(file, `${separator}${hash ? hashedHostName(name) : name} ${keyType} ${keyBase64}\n`, {mode: 0o600});
}

export function hashedHostName(name: string, salt: Buffer = randomBytes(20)): string {
	const digest = createHmac('sha1', salt).update(name).digest();
	return `|1|${salt.toString('base64')}|${digest.toString('base64')}`;
}

async function isFile(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isFile();
	} catch {
		return false;
	}
}
