import {chmod, link, mkdir, open, readFile, rm} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {UsageError, WheelhouseError} from '../../core/errors.js';
import type {Finding, LockHolder} from '../types.js';
import {syncDirectory, writeFileAtomic} from './atomic-write.js';
import {endedStatuses} from './journal.js';
import type {JournalStore} from './journal-store.js';
import {processAlive, thisHost} from './process-alive.js';

/** Another run holds the context's release lock. */
export class LockHeldError extends WheelhouseError {
	readonly holder: LockHolder;

	constructor(holder: LockHolder) {
		super(
			`A ${holder.kind} of ${holder.target} is in progress: ${describeHolder(holder)}`,
			{hint: `Wait for it, \`wheelhouse resume ${holder.runId}\` if it is yours, or break a stale lock with \`wheelhouse resume --break-lock\``, exitCode: 1},
		);
		this.name = 'LockHeldError';
		this.holder = holder;
	}
}

export type LockBreakRequest = {
	/**
	 * The runbook's evidence that nothing of the holder's run still goes on (no advisory-lock holder in
	 * the database, no job run, backup or deployment in progress), one finding per check. Empty proof,
	 * or any `block` finding, refuses the break.
	 */
	proof: Finding[];
	/** What the operator typed: must be the context's name. */
	typed: string;
	/** Who breaks it, for the journal. */
	operator?: string;
};

/** "run <runId> by <operator> on <host> since <time> (pid <pid>)" */
export function describeHolder(holder: LockHolder): string {
	return `run ${holder.runId} by ${holder.operator} on ${holder.host} since ${holder.acquiredAt.replace(/\.\d+Z$/, 'Z')} (pid ${holder.pid})`;
}

/**
 * One release per context on this machine: `<state>/locks/<context>.lock`, created exclusively, holding
 * the LockHolder as JSON. The file is written in full before it takes the lock's name (a hard link of a
 * finished temp file, which fails like O_EXCL when the name exists), so a kill -9 never leaves a
 * half-written lock. A lock whose process died stays until its run resumes or someone breaks it.
 */
export class ReleaseLock {
	readonly directory: string;

	constructor(stateDirectory: string, private readonly store?: JournalStore) {
		this.directory = join(stateDirectory, 'locks');
	}

	pathOf(context: string): string {
		return join(this.directory, `${encodeURIComponent(context)}.lock`);
	}

	/** Who holds the context's lock, if anyone. */
	async holder(context: string): Promise<LockHolder | undefined> {
		const path = this.pathOf(context);
		let text;
		try {
			text = await readFile(path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return undefined;
			}

			throw error;
		}

		try {
			const holder = JSON.parse(text) as LockHolder;
			if (typeof holder.runId === 'string' && typeof holder.pid === 'number') {
				return holder;
			}
		} catch {
			// Reported below.
		}

		throw new WheelhouseError(`The release lock ${path} cannot be read.`, {hint: 'If no release of this context is running anywhere, remove the file and start again.'});
	}

	/**
	 * Takes the lock, or throws LockHeldError naming the holder. The same run takes its own lock back
	 * (a resume) when the recorded process is gone from this host or is this process; a stale lock left
	 * by a run whose journal shows it ended is taken over too.
	 */
	async acquire(context: string, holder: LockHolder): Promise<void> {
		await this.ensureDirectory();
		const path = this.pathOf(context);
		const text = `${JSON.stringify(holder, undefined, '\t')}\n`;
		for (let attempt = 0; attempt < 5; attempt++) {
			if (await createExclusive(path, text)) {
				return;
			}

			const current = await this.holder(context);
			if (current === undefined) {
				continue; // Released between our attempt and the read: try again.
			}

			const ourRun = current.runId === holder.runId && current.host === thisHost() && (current.pid === process.pid || !processAlive(current.pid));
			if (ourRun || (this.isStale(current) && await this.runEnded(current.runId))) {
				await this.takeOver(context, current, holder);
				return;
			}

			throw new LockHeldError(current);
		}

		throw new WheelhouseError(`The release lock of "${context}" keeps changing hands.`, {hint: 'Another wheelhouse is starting a run of this context; wait for it.'});
	}

	/** A holder on this host whose process is gone. (A holder on another host is never known to be stale.) */
	isStale(holder: LockHolder): boolean {
		return holder.host === thisHost() && holder.pid !== process.pid && !processAlive(holder.pid);
	}

	/**
	 * Removes a stale lock after checking the proof and the typed context name, and records the break in
	 * the old run's journal (status 'interrupted'). Returns the old holder.
	 */
	async break(context: string, request: LockBreakRequest): Promise<LockHolder> {
		const current = await this.holder(context);
		if (current === undefined) {
			throw new UsageError(`No release lock is held for context "${context}".`, 'There is nothing to break: start the run again.');
		}

		if (!this.isStale(current)) {
			const where = current.host === thisHost() ? `its process (pid ${current.pid}) is still running` : `it was taken on ${current.host}, where this machine cannot check its process`;
			throw new WheelhouseError(`The lock of "${context}" is not stale: ${describeHolder(current)}, and ${where}.`, {hint: `Wait for run ${current.runId} to end, or stop it where it runs.`});
		}

		if (request.proof.length === 0) {
			throw new UsageError(`Breaking the lock of "${context}" needs proof that nothing of run ${current.runId} still goes on.`, 'The runbook checks the database advisory lock and any job run, backup or deployment in progress first.');
		}

		const blocking = request.proof.filter(finding => finding.level === 'block');
		if (blocking.length > 0) {
			throw new WheelhouseError(`Run ${current.runId} may still be going: ${blocking.map(finding => `${finding.check}: ${finding.message}`).join('; ')}.`, {hint: 'Wait until it has finished, then break the lock.'});
		}

		if (request.typed !== context) {
			throw new UsageError(`To break the lock, type the context's name "${context}" exactly.`, `You typed "${request.typed}".`);
		}

		await rm(this.pathOf(context), {force: true});
		await syncDirectory(this.directory);
		await this.recordBreak(current, request);
		return current;
	}

	/** Removes the lock if this run holds it; someone else's lock is left alone. */
	async release(context: string, runId: string): Promise<boolean> {
		const current = await this.holder(context);
		if (current?.runId !== runId) {
			return false;
		}

		await rm(this.pathOf(context), {force: true});
		await syncDirectory(this.directory);
		return true;
	}

	private async takeOver(context: string, previous: LockHolder, holder: LockHolder): Promise<void> {
		await writeFileAtomic(this.pathOf(context), `${JSON.stringify(holder, undefined, '\t')}\n`, 0o600);
		const now = await this.holder(context);
		if (now?.runId !== holder.runId || now.pid !== holder.pid) {
			throw new LockHeldError(now ?? previous);
		}
	}

	private async runEnded(runId: string): Promise<boolean> {
		try {
			const journal = await this.store?.load(runId);
			return journal !== undefined && endedStatuses.has(journal.status);
		} catch {
			return false;
		}
	}

	private async recordBreak(holder: LockHolder, request: LockBreakRequest): Promise<void> {
		let journal;
		try {
			journal = await this.store?.load(holder.runId);
		} catch {
			return; // No journal to note it in; the caller records the break in its own.
		}

		if (journal === undefined) {
			return;
		}

		const at = new Date().toISOString();
		const by = request.operator === undefined ? '' : ` by ${request.operator}`;
		journal.status = 'interrupted';
		journal.updatedAt = at;
		journal.lock = {...journal.lock, acquiredAt: journal.lock?.acquiredAt ?? holder.acquiredAt, releasedAt: at};
		journal.events.push({at, event: `lock broken from ${describeHolder(holder)}${by}`});
		await this.store!.save(journal);
	}

	private async ensureDirectory(): Promise<void> {
		const created = await mkdir(this.directory, {recursive: true, mode: 0o700});
		if (created !== undefined) {
			await chmod(this.directory, 0o700);
		}
	}
}

let temporaryCounter = 0;

/** Creates `path` holding `text` only if no such name exists; false when it does. */
async function createExclusive(path: string, text: string): Promise<boolean> {
	const temporary = `${path}.${process.pid}.${++temporaryCounter}.tmp`;
	const file = await open(temporary, 'wx', 0o600);
	try {
		await file.writeFile(text, 'utf8');
		await file.sync();
	} finally {
		await file.close();
	}

	try {
		await link(temporary, path);
		await syncDirectory(dirname(path));
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') {
			return false;
		}

		if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
			return createWithOpenExclusive(path, text);
		}

		throw error;
	} finally {
		await rm(temporary, {force: true});
	}
}

/** For file systems without hard links: O_EXCL directly. */
async function createWithOpenExclusive(path: string, text: string): Promise<boolean> {
	let file;
	try {
		file = await open(path, 'wx', 0o600);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return false;
		}

		throw error;
	}

	try {
		await file.writeFile(text, 'utf8');
		await file.sync();
	} finally {
		await file.close();
	}

	return true;
}
