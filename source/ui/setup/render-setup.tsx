import process from 'node:process';
import {render} from 'ink';
import {UsageError} from '../../core/errors.js';
import {fullScreenProblem, fullScreenRenderOptions, restoreTerminal, type TerminalStreams} from '../terminal.js';
import type {SetupBackend} from './setup-backend.js';
import {type SetupOutcome, SetupWizard} from './setup-wizard.js';

/**
 * Runs the setup wizard full screen until it is saved or left, then gives the terminal back.
 * Throws a UsageError when there is no interactive terminal to ask on.
 */
export async function renderSetup(options: {backend: SetupBackend; streams?: Partial<TerminalStreams>}): Promise<SetupOutcome> {
	const streams: TerminalStreams = {
		stdin: options.streams?.stdin ?? process.stdin,
		stdout: options.streams?.stdout ?? process.stdout,
		stderr: options.streams?.stderr ?? process.stderr,
	};
	const problem = fullScreenProblem(streams);
	if (problem) {
		throw new UsageError(`wheelhouse setup asks its questions on an interactive terminal: ${problem}.`, 'Run it in a terminal, or add a context from a script: `wheelhouse context add NAME --platform northflank --project P --token-stdin`.');
	}

	let outcome: SetupOutcome = {openConsole: false};
	try {
		const instance = render(
			<SetupWizard
				backend={options.backend}
				onExit={result => {
					outcome = result;
				}}
			/>,
			fullScreenRenderOptions(streams),
		);
		try {
			await instance.waitUntilExit();
		} finally {
			instance.cleanup();
		}
	} catch (error) {
		restoreTerminal(streams);
		throw error;
	}

	return outcome;
}
