import type {Dispatch} from 'react';
import type {LiveSource} from '../core/live-state.js';
import type {DashboardActions} from './dashboard-props.js';
import {describeError} from './describe-error.js';
import type {ConfirmDialog, UiAction} from './ui-state.js';

const verbs = {
	build: {pending: 'Starting a build of', done: 'Build started for', failed: 'Could not start a build of'},
	restart: {pending: 'Restarting', done: 'Restart requested for', failed: 'Could not restart'},
} as const;

/** Runs a confirmed action and reports progress and outcome in the status line. */
export async function runMutation(dialog: ConfirmDialog, actions: DashboardActions, source: LiveSource, dispatch: Dispatch<UiAction>): Promise<void> {
	const words = verbs[dialog.command];
	dispatch({type: 'status', status: {tone: 'busy', text: `${words.pending} ${dialog.serviceName}…`}});
	try {
		await (dialog.command === 'build' ? actions.startBuild(dialog.serviceId) : actions.restartService(dialog.serviceId));
		dispatch({type: 'status', status: {tone: 'good', text: `✔ ${words.done} ${dialog.serviceName}.`}});
		source.refreshNow();
	} catch (error) {
		dispatch({type: 'status', status: {tone: 'bad', text: `✖ ${words.failed} ${dialog.serviceName}: ${describeError(error)}`}});
	}
}
