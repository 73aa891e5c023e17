// `wheelhouse history [RUN] [--json]`: the run journals of this machine, newest first.
import {UsageError} from '../core/errors.js';
import {stateDirectory} from '../infra/state-path.js';
import {formatRunDetail, JournalStore, summariseRun} from '../runbooks/engine/index.js';

export async function runHistoryCommand(options: {runId?: string; json: boolean}, stdout: NodeJS.WritableStream): Promise<number> {
	const store = new JournalStore(stateDirectory());
	if (options.runId) {
		const journal = await store.load(options.runId).catch((error: unknown) => {
			throw new UsageError(`No run "${options.runId}" in ${stateDirectory()}: ${(error as Error).message}`, 'Run `wheelhouse history` to list the runs.');
		});
		stdout.write(options.json ? `${JSON.stringify(journal, null, 2)}\n` : `${formatRunDetail(journal)}\n`);
		return 0;
	}

	const {journals, unreadable} = await store.list();
	if (options.json) {
		stdout.write(`${JSON.stringify(journals, null, 2)}\n`);
		return 0;
	}

	if (journals.length === 0) {
		stdout.write('No runs yet. `wheelhouse release SERVICE --dry-run` shows what a release would do.\n');
	}

	for (const journal of journals) {
		stdout.write(`${journal.runId}  ${summariseRun(journal)}\n`);
	}

	for (const file of unreadable) {
		stdout.write(`(unreadable, left in place: ${file.file}: ${file.reason})\n`);
	}

	return 0;
}
