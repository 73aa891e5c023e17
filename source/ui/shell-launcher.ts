// Opening a shell from the console: connect first (the console stays up and can say why not), then
// step aside with Ink's suspendTerminal, hand the terminal to the session, and come back when it ends.
import type {Dispatch} from 'react';
import type {ExecSession, ExecTarget} from '../core/exec.js';
import type {DashboardContext} from './dashboard-props.js';
import {describeError} from './describe-error.js';
import {attachToTerminal, ctrlCloseBracket} from './hand-off.js';
import {shellBanner, shellEnding, shellOutcome, whereLabel} from './shell-targets.js';
import type {TerminalStreams} from './terminal.js';
import type {StatusMessage, UiAction} from './ui-state.js';

export type WindowSize = {columns: number; rows: number};

/**
 * Supplied by whoever owns the provider: connects a shell (a TTY of this size) in the target,
 * rejecting with the reason when the target is not running or exec is refused.
 */
export type OpenShell = (target: ExecTarget, size: WindowSize) => Promise<ExecSession>;

export type ShellDependencies = {
	openShell: OpenShell;
	context: DashboardContext;
	dispatch: Dispatch<UiAction>;
	streams: TerminalStreams;
	suspendTerminal: (callback: () => Promise<void>) => Promise<unknown>;
};

type Attempt = {cancelled: boolean; typed: string[]};

export class ShellLauncher {
	private dependencies: ShellDependencies | undefined;
	private attempt: Attempt | undefined;
	private active: ExecSession | undefined;
	private disposed = false;
	private readonly waitingForScreen: Array<() => void> = [];

	/** What it works with; undefined: nothing can be opened. */
	use(dependencies: ShellDependencies | undefined): void {
		this.dependencies = dependencies;
	}

	/** Connects to `target`; once connected, gives it the terminal until it ends. */
	open(target: ExecTarget, label: string, size: WindowSize): void {
		const {dependencies} = this;
		if (!dependencies || this.disposed) {
			return;
		}

		this.cancel();
		const attempt: Attempt = {cancelled: false, typed: []};
		this.attempt = attempt;
		void this.run(dependencies, attempt, target, label, size);
	}

	/** Stops waiting for the shell that is opening; closed at once if it connects after all. */
	cancel(): void {
		if (this.attempt) {
			this.attempt.cancelled = true;
			this.attempt = undefined;
		}
	}

	/** Keys typed while the shell opens: they belong to the shell. */
	typeahead(bytes: string): void {
		this.attempt?.typed.push(bytes);
	}

	/** The console has drawn a state with no shell in it (called from an effect, after the commit). */
	shown(): void {
		for (const resolve of this.waitingForScreen.splice(0)) {
			resolve();
		}
	}

	/** The console is going away: nothing more is opened, and a running shell is closed. */
	dispose(): void {
		this.disposed = true;
		this.cancel();
		this.active?.close();
	}

	// React commits a state change from outside an event on its scheduler's time, not at once; the
	// timeout keeps a console that never commits from holding the terminal.
	private async untilShown(): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([
			new Promise<void>(resolve => {
				this.waitingForScreen.push(resolve);
			}),
			new Promise<void>(resolve => {
				timer = setTimeout(resolve, 250);
			}),
		]);
		clearTimeout(timer);
	}

	private async run(dependencies: ShellDependencies, attempt: Attempt, target: ExecTarget, label: string, size: WindowSize): Promise<void> {
		const {dispatch} = dependencies;
		let session: ExecSession;
		try {
			session = await dependencies.openShell(target, size);
		} catch (error) {
			if (!attempt.cancelled && !this.disposed) {
				this.attempt = undefined;
				dispatch({type: 'shell-end', status: {tone: 'bad', text: `✖ No shell in ${label}: ${describeError(error)}`}});
			}

			return;
		}

		if (attempt.cancelled || this.disposed) {
			session.close();
			return;
		}

		this.attempt = undefined;
		this.active = session;
		const where = whereLabel(session.where, label);
		try {
			await dependencies.suspendTerminal(async () => {
				let outcome: StatusMessage;
				try {
					const result = await attachToTerminal(dependencies.streams, session, {
						banner: shellBanner(where, dependencies.context, 'ctrl-]'),
						// Complete now: Ink stopped reading keys when it suspended.
						typeahead: attempt.typed.join(''),
						detachKey: ctrlCloseBracket,
					});
					outcome = shellOutcome(where, result);
					// Also a fresh line: Ink draws its first frame back from wherever the cursor is, and
					// a prompt left mid-line would push the frame's top row off the screen.
					dependencies.streams.stdout.write(`\r\nwheelhouse: ${shellEnding(where, result)}; back to the console\r\n`);
				} catch (error) {
					session.close();
					outcome = {tone: 'bad', text: `✖ shell in ${where} failed: ${describeError(error)}`};
					dependencies.streams.stdout.write('\r\n');
				}

				// On screen before Ink takes the terminal back, so its first frame already says how the shell ended.
				if (!this.disposed) {
					const shown = this.untilShown();
					dispatch({type: 'shell-end', status: outcome});
					await shown;
				}
			});
		} catch (error) {
			session.close();
			if (!this.disposed) {
				dispatch({type: 'shell-end', status: {tone: 'bad', text: `✖ Could not hand the terminal to the shell in ${where}: ${describeError(error)}`}});
			}
		} finally {
			this.active = undefined;
		}
	}
}
