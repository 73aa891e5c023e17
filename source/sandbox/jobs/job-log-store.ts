// The recorded logs of real job runs: in memory (the newest 10,000 lines of each run) and, with a state
// dir, in DIR/job-logs/<runId>.log, one line as the API writes it (`<ts> <stream> F <text>`), so a
// restarted sandbox serves the same lines at the same times. Files are appended to as lines come, and
// rewritten with the newest lines once they hold twice as many.
import {appendFile, mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {LogRecord, LogStream} from '../logs/container-log.js';
import {toEntry} from '../logs/log-entry.js';
import {parseLogTime} from '../logs/log-time.js';
import {RecordedLog, recordedLineLimit} from '../logs/recorded-log.js';
import type {JobRunRecord} from '../state.js';

export const jobLogsDirectoryName = 'job-logs';

type Persisted = {pending: string[]; linesOnDisk: number};

export class JobLogStore {
	private readonly logs = new Map<string, RecordedLog>();
	private readonly files = new Map<string, Persisted>();
	private writing: Promise<void> | undefined;

	constructor(
		private readonly now: () => number,
		private readonly stateDir?: string,
	) {}

	/** Reads the saved logs of these runs (those that ran for real), before anything is served. */
	async load(runs: readonly JobRunRecord[]): Promise<void> {
		if (this.stateDir === undefined) {
			return;
		}

		const directory = path.join(this.stateDir, jobLogsDirectoryName);
		const names = new Set(await readdir(directory).catch(() => [] as string[]));
		for (const run of runs) {
			if (run.execution === undefined || !names.has(`${run.id}.log`)) {
				continue;
			}

			const text = await readFile(path.join(directory, `${run.id}.log`), 'utf8');
			const records = text.split('\n').filter(line => line !== '').flatMap((line, index) => parseLine(run.runName, line, index + 1) ?? []);
			this.logOf(run).restore(records);
			this.files.set(run.id, {pending: [], linesOnDisk: records.length});
		}
	}

	logOf(run: JobRunRecord): RecordedLog {
		let log = this.logs.get(run.id);
		if (!log) {
			log = new RecordedLog(run.runName, () => ({start: run.startedAt, end: run.running ? undefined : run.concludesAt}));
			this.logs.set(run.id, log);
		}

		return log;
	}

	/** Records a line of the run's output now. */
	append(run: JobRunRecord, stream: LogStream, text: string): void {
		const record = this.logOf(run).append(stream, text, this.now());
		if (this.stateDir === undefined) {
			return;
		}

		const file = this.files.get(run.id) ?? {pending: [], linesOnDisk: 0};
		this.files.set(run.id, file);
		file.pending.push(toEntry(record).log);
		this.writing ??= this.drain();
	}

	/** Waits until every recorded line is on disk (a file holds at most twice the lines kept in memory). */
	async flush(): Promise<void> {
		while (this.writing) {
			await this.writing;
		}
	}

	private async drain(): Promise<void> {
		try {
			const directory = path.join(this.stateDir!, jobLogsDirectoryName);
			await mkdir(directory, {recursive: true});
			for (let busy = true; busy;) {
				busy = false;
				for (const [runId, file] of this.files) {
					if (file.pending.length === 0) {
						continue;
					}

					busy = true;
					const target = path.join(directory, `${runId}.log`);
					if (file.linesOnDisk + file.pending.length > recordedLineLimit * 2) {
						await this.rewrite(runId, target, file);
					} else {
						const lines = file.pending.splice(0);
						await appendFile(target, `${lines.join('\n')}\n`, 'utf8');
						file.linesOnDisk += lines.length;
					}
				}
			}
		} catch {
			// A log that cannot be saved is still served from memory; the state saver reports a bad dir.
		} finally {
			this.writing = undefined;
		}
	}

	/** Replaces the file with the newest lines in memory (atomically), so it stays bounded. */
	private async rewrite(runId: string, target: string, file: Persisted): Promise<void> {
		// Memory already holds every pending line: take them all at once, before anything else is appended.
		const lines = (this.logs.get(runId)?.lines() ?? []).map(record => toEntry(record).log);
		file.pending = [];
		file.linesOnDisk = lines.length;
		const temporary = `${target}.${process.pid}.tmp`;
		await writeFile(temporary, `${lines.join('\n')}\n`, 'utf8');
		await rename(temporary, target);
	}
}

function parseLine(containerId: string, line: string, seq: number): LogRecord | undefined {
	const match = /^(\S+) (stdout|stderr) F (.*)$/.exec(line);
	const time = match ? parseLogTime(match[1]!) : undefined;
	if (!match || !time) {
		return undefined;
	}

	return {containerId, time, seq, stream: match[2] as LogStream, text: match[3]!};
}
