import {access, chmod, mkdir, readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {UsageError, WheelhouseError} from '../../core/errors.js';
import type {Journal} from '../types.js';
import {writeFileAtomic} from './atomic-write.js';
import {effectiveStatus} from './journal.js';
import {redactJson} from './redact-journal.js';
import {isRunId, newRunId} from './run-id.js';

export type UnreadableRun = {file: string; reason: string};

export type RunList = {
	/** Newest first. */
	journals: Journal[];
	/** Files in the runs directory that are not a journal this version can read; left where they are. */
	unreadable: UnreadableRun[];
};

type PendingWrite = {text: string; superseded: boolean; done?: Promise<void>};

/**
 * The run journals: one JSON document per run at `<state>/runs/<runId>.json` (directory 0700, files
 * 0600). Every write is redacted, atomic and serialised; a write that is overtaken by a newer one of the
 * same run before it started is skipped, and its caller waits for the newer one instead.
 */
export class JournalStore {
	readonly directory: string;
	private queue: Promise<void> = Promise.resolve();
	private readonly latest = new Map<string, PendingWrite>();
	private readonly issuedRunIds = new Set<string>();

	constructor(stateDirectory: string) {
		this.directory = join(stateDirectory, 'runs');
	}

	pathOf(runId: string): string {
		return join(this.directory, `${runId}.json`);
	}

	/** A run id no journal here uses yet. */
	async newRunId(now: Date = new Date()): Promise<string> {
		for (;;) {
			const runId = newRunId(now);
			if (!this.issuedRunIds.has(runId) && !(await exists(this.pathOf(runId)))) {
				this.issuedRunIds.add(runId);
				return runId;
			}
		}
	}

	/** Persists the journal as it is now (later changes to the object are not part of this write). */
	async save(journal: Journal): Promise<void> {
		const {runId} = journal;
		if (!isRunId(runId)) {
			throw new WheelhouseError(`Cannot save a journal with run id "${runId}".`);
		}

		const write: PendingWrite = {text: `${JSON.stringify(redactJson(journal), undefined, '\t')}\n`, superseded: false};
		const previous = this.latest.get(runId);
		if (previous) {
			previous.superseded = true;
		}

		this.latest.set(runId, write);
		const written = this.queue.then(async () => {
			if (write.superseded) {
				return;
			}

			await this.ensureDirectory();
			await writeFileAtomic(this.pathOf(runId), write.text, 0o600);
		});
		this.queue = written.catch(() => undefined);
		write.done = written.then(async () => {
			if (this.latest.get(runId) === write) {
				this.latest.delete(runId);
			}

			if (write.superseded) {
				await this.newestWriteOf(runId, write);
			}
		});
		return write.done;
	}

	async load(runId: string): Promise<Journal> {
		if (!isRunId(runId)) {
			throw new UsageError(`"${runId}" is not a run id.`, 'Run ids look like 2026-11-22T10-04-12Z-7f3a; `wheelhouse history` lists them.');
		}

		const path = this.pathOf(runId);
		let text;
		try {
			text = await readFile(path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				throw new UsageError(`No run ${runId} in ${this.directory}.`, '`wheelhouse history` lists the runs recorded here.');
			}

			throw error;
		}

		const journal = parseJournal(text);
		if (typeof journal === 'string') {
			throw new WheelhouseError(`The journal ${path} cannot be read: ${journal}.`, {hint: 'It was left in place; move it away to start over, or fix it by hand.'});
		}

		return journal;
	}

	/** Every run, newest first; unreadable files are reported, never deleted. */
	async list(): Promise<RunList> {
		let names: string[];
		try {
			names = await readdir(this.directory);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return {journals: [], unreadable: []};
			}

			throw error;
		}

		const files = names.filter(name => name.endsWith('.json') && !name.startsWith('.')).sort().reverse();
		const journals: Journal[] = [];
		const unreadable: UnreadableRun[] = [];
		for (const file of files) {
			const path = join(this.directory, file);
			let text;
			try {
				text = await readFile(path, 'utf8');
			} catch (error) {
				unreadable.push({file: path, reason: (error as Error).message});
				continue;
			}

			const journal = parseJournal(text);
			if (typeof journal === 'string') {
				unreadable.push({file: path, reason: journal});
			} else {
				journals.push(journal);
			}
		}

		return {journals, unreadable};
	}

	/**
	 * Runs of this context that were left part-way: running (or interrupted: recorded as running by a
	 * process that is gone, reported with status 'interrupted'), planned with a step started, and
	 * stopped runs that left a step in flight. Newest first.
	 */
	async findUnfinished(context: string): Promise<Journal[]> {
		const {journals} = await this.list();
		const unfinished: Journal[] = [];
		for (const journal of journals) {
			if (journal.context !== context) {
				continue;
			}

			const status = effectiveStatus(journal);
			const started = journal.steps.some(step => step.status !== 'pending');
			const leftPartWay = status === 'running' || status === 'interrupted' || (status === 'planned' && started);
			const stoppedInFlight = status === 'stopped' && journal.steps.some(step => step.status === 'running');
			if (leftPartWay || stoppedInFlight) {
				unfinished.push({...journal, status});
			}
		}

		return unfinished;
	}

	/** Resolves once every write queued so far has finished. */
	async settled(): Promise<void> {
		await this.queue;
	}

	private async newestWriteOf(runId: string, overtaken: PendingWrite): Promise<void> {
		const newest = this.latest.get(runId);
		if (newest && newest !== overtaken) {
			await newest.done;
		}
	}

	private async ensureDirectory(): Promise<void> {
		const created = await mkdir(this.directory, {recursive: true, mode: 0o700});
		if (created !== undefined) {
			await chmod(this.directory, 0o700);
		}
	}
}

/** The journal, or why the text is not one. */
export function parseJournal(text: string): Journal | string {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return `not JSON (${(error as Error).message})`;
	}

	if (value === null || typeof value !== 'object') {
		return 'not a journal object';
	}

	const journal = value as Partial<Journal>;
	if (journal.version !== 1) {
		return `journal version ${String(journal.version)} is not one this wheelhouse reads`;
	}

	if (typeof journal.runId !== 'string' || typeof journal.status !== 'string' || typeof journal.context !== 'string' || !Array.isArray(journal.steps) || !Array.isArray(journal.events)) {
		return 'a field of the journal (runId, status, context, steps, events) is missing';
	}

	return journal as Journal;
}

async function exists(path: string): Promise<boolean> {
	try {
		await access(path);
		return true;
	} catch {
		return false;
	}
}
