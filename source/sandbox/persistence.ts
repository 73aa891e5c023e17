import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {failureKinds, stateVersion, type SandboxState} from './state.js';
import {UsageError} from '../core/errors.js';

export const stateFileName = 'sandbox-state.json';

/**
 * Reads the saved state; undefined when there is none yet. A damaged file is a UsageError and is
 * never overwritten.
 */
export async function loadState(stateDir: string): Promise<SandboxState | undefined> {
	const file = path.join(stateDir, stateFileName);
	const freshStart = `Move ${file} aside to start from a fresh sandbox, or choose another --state DIR.`;
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') {
			return undefined;
		}

		throw new UsageError(`Cannot read the sandbox state file ${file} (${code ?? (error as Error).message})`, 'Check the --state DIR and its permissions.');
	}

	let state: unknown;
	try {
		state = JSON.parse(text);
	} catch {
		throw new UsageError(`The sandbox state file ${file} is not valid JSON`, freshStart);
	}

	if (typeof state !== 'object' || state === null || (state as {version?: unknown}).version !== stateVersion) {
		throw new UsageError(`The sandbox state file ${file} is not a version ${stateVersion} sandbox state`, freshStart);
	}

	return withCurrentFields(state as SandboxState);
}

/** Fields added since a state was saved, with the values that held before they existed. */
function withCurrentFields(state: SandboxState): SandboxState {
	for (const kind of failureKinds) {
		state.failNext[kind] ??= 0;
	}

	return state;
}

/**
 * Saves the state atomically (temporary file, then rename) and coalesces bursts: while one write is
 * under way, later requests collapse into a single follow-up write of the newest state.
 */
export class StateSaver {
	private writing: Promise<void> | undefined;
	private dirty = false;
	private lastError: unknown;

	constructor(
		private readonly stateDir: string,
		private readonly state: SandboxState,
	) {}

	request(): void {
		this.dirty = true;
		this.writing ??= this.drain();
	}

	/** Waits for pending writes, then writes once more; rejects if any write failed. */
	async flush(): Promise<void> {
		this.request();
		await this.writing;
		if (this.lastError !== undefined) {
			const error = this.lastError;
			this.lastError = undefined;
			throw error;
		}
	}

	private async drain(): Promise<void> {
		try {
			while (this.dirty) {
				this.dirty = false;
				try {
					await writeStateFile(this.stateDir, this.state);
				} catch (error) {
					this.lastError = error;
				}
			}
		} finally {
			this.writing = undefined;
		}
	}
}

export async function writeStateFile(stateDir: string, state: SandboxState): Promise<void> {
	await mkdir(stateDir, {recursive: true});
	const file = path.join(stateDir, stateFileName);
	const temporary = `${file}.${process.pid}.tmp`;
	await writeFile(temporary, `${JSON.stringify(state, undefined, '\t')}\n`, 'utf8');
	await rename(temporary, file);
}
