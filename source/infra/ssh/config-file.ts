import {glob, readFile} from 'node:fs/promises';
import {isAbsolute, join} from 'node:path';
import SSHConfig, {LineType, type Line} from 'ssh-config';
import {UsageError} from '../../core/errors.js';
import {expandHome} from './tokens.js';

/** A config file to read, and where its relative `Include` paths start (~/.ssh or /etc/ssh, as OpenSSH does). */
export type ConfigSource = {path: string; includeBase: string};

const maximumIncludeDepth = 16;

/**
 * Reads the OpenSSH client config files in order (the user's, then the system's) into one parsed
 * config, with `Include` directives replaced by the files they name. A missing file is an empty one.
 */
export async function loadSshConfig(sources: readonly ConfigSource[], homeDir: string): Promise<SSHConfig> {
	const combined = SSHConfig.parse('');
	for (const source of sources) {
		combined.push(...await readConfig(source.path, source, homeDir, 0));
	}

	return combined;
}

async function readConfig(path: string, source: ConfigSource, homeDir: string, depth: number): Promise<Line[]> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return [];
		}

		throw new UsageError(`Cannot read the SSH config file ${path}: ${(error as Error).message}`, 'Check the file\'s permissions.');
	}

	let parsed: SSHConfig;
	try {
		parsed = SSHConfig.parse(text);
	} catch (error) {
		throw new UsageError(`The SSH config file ${path} cannot be parsed: ${(error as Error).message}`, 'Fix the file; `ssh -G HOST` shows how OpenSSH reads it.');
	}

	return expandIncludes([...parsed], source, homeDir, depth);
}

async function expandIncludes(lines: Line[], source: ConfigSource, homeDir: string, depth: number): Promise<Line[]> {
	const expanded: Line[] = [];
	for (const line of lines) {
		if (line.type !== LineType.DIRECTIVE) {
			expanded.push(line);
		} else if ('config' in line) {
			const inner = await expandIncludes([...line.config], source, homeDir, depth);
			line.config.splice(0, line.config.length, ...inner);
			expanded.push(line);
		} else if (line.param.toLowerCase() === 'include') {
			if (depth >= maximumIncludeDepth) {
				throw new UsageError(`The SSH config includes files more than ${maximumIncludeDepth} levels deep (a loop?).`, 'Check the Include lines in ~/.ssh/config.');
			}

			for (const path of await includedFiles(directiveValues(line.value), source, homeDir)) {
				expanded.push(...await readConfig(path, source, homeDir, depth + 1));
			}
		} else {
			expanded.push(line);
		}
	}

	return expanded;
}

async function includedFiles(patterns: string[], source: ConfigSource, homeDir: string): Promise<string[]> {
	const files: string[] = [];
	for (const pattern of patterns) {
		const withHome = expandHome(pattern, homeDir);
		const absolute = isAbsolute(withHome) ? withHome : join(source.includeBase, withHome);
		const matches: string[] = [];
		for await (const match of glob(absolute)) {
			matches.push(match);
		}

		files.push(...matches.sort());
	}

	return files;
}

function directiveValues(value: string | Array<{val: string}>): string[] {
	return typeof value === 'string' ? [value] : value.map(part => part.val);
}
