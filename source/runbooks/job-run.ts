// Runs a command as a run of the migration job, from a given build, and follows it: its log lines
// stream to the step's log while it runs, and its whole output is read back once it ends.
import {LogTail} from '../core/log-tail.js';
import type {LogTarget} from '../core/logs.js';
import type {Provider} from '../core/provider.js';
import type {JobRun} from '../core/types.js';
import {toPlainText} from '../infra/sanitize.js';
import type {Named} from './target.js';
import {waitUntil} from './wait.js';

export type JobCommand = {job: Named; service: Named; buildId: string; command: string; env?: Record<string, string>};

export async function startJobCommand(provider: Provider, request: JobCommand): Promise<JobRun> {
	return provider.startJobRun(request.job.id, {command: request.command, buildId: request.buildId, sourceServiceId: request.service.id, env: request.env});
}

export type FollowOptions = {log(line: string): void; signal?: AbortSignal; timeoutMs?: number};

/** Waits for the run to conclude while streaming its lines; resolves the concluded run and its full output. */
export async function followJobRun(provider: Provider, job: Named, runId: string, options: FollowOptions): Promise<{run: JobRun; output: string[]}> {
	const target: LogTarget = {kind: 'job', id: job.id, name: job.name, runId};
	const tail = new LogTail((from, handlers) => provider.openLogTail(target, from, handlers), {
		onLines(lines) {
			for (const line of lines) {
				options.log(toPlainText(line.text));
			}
		},
		since: new Date(Date.now() - 10 * 60 * 1000),
	});
	tail.start();
	try {
		const run = await waitUntil(async () => {
			const current = await provider.getJobRun(job.id, runId);
			return current.status === 'running' ? undefined : current;
		}, {what: `job run ${runId}`, intervalMs: 1500, timeoutMs: options.timeoutMs, signal: options.signal});
		return {run, output: await jobRunOutput(provider, job, run)};
	} finally {
		tail.stop();
	}
}

/** The run's whole output, read back from the platform's log store (the authority, unlike a live tail). */
export async function jobRunOutput(provider: Provider, job: Named, run: JobRun): Promise<string[]> {
	const target: LogTarget = {kind: 'job', id: job.id, name: job.name, runId: run.id};
	const since = new Date((run.startedAt?.getTime() ?? Date.now() - 3_600_000) - 5000);
	const lines: string[] = [];
	let from = since;
	for (let page = 0; page < 20; page++) {
		const result = await provider.fetchLogs(target, {since: from, direction: 'forward', limit: 1000});
		lines.push(...result.lines.map(line => toPlainText(line.text)));
		const last = result.lines.at(-1);
		if (!result.hasMore || !last) {
			break;
		}

		from = new Date(last.timestamp + 1);
	}

	return lines;
}

/** A run started by this step but not yet recorded (the console died in between): the newest run started since `since`. */
export async function findRunStartedSince(provider: Provider, job: Named, since: Date): Promise<JobRun | undefined> {
	const runs = await provider.listJobRuns(job.id, 10);
	return runs.find(run => run.startedAt !== undefined && run.startedAt.getTime() >= since.getTime() - 2000);
}
