// What the history screen remembers: the runs as read, the selected one, and the run opened.
import type {Journal} from '../../runbooks/types.js';
import {newestFirst} from './history-lines.js';

export type HistoryState = {
	runs: {status: 'loading'} | {status: 'failed'; message: string} | {status: 'loaded'; journals: Journal[]};
	/** The selected run, by id so a reload keeps it; index is the fallback. */
	cursor: {id?: string; index: number};
	detail?: {runId: string; scroll: number};
};

export const initialHistoryState: HistoryState = {runs: {status: 'loading'}, cursor: {index: 0}};

export type HistoryAction =
	| {type: 'loading'}
	| {type: 'loaded'; journals: Journal[]}
	| {type: 'failed'; message: string}
	| {type: 'move'; delta: number}
	| {type: 'move-to'; edge: 'top' | 'bottom'}
	| {type: 'open'}
	| {type: 'close'}
	| {type: 'scroll'; to: number};

export function loadedRuns(state: HistoryState): Journal[] {
	return state.runs.status === 'loaded' ? state.runs.journals : [];
}

export function selectedIndex(state: HistoryState): number {
	const runs = loadedRuns(state);
	if (runs.length === 0) {
		return -1;
	}

	const byId = runs.findIndex(run => run.runId === state.cursor.id);
	return byId === -1 ? Math.min(state.cursor.index, runs.length - 1) : byId;
}

function select(state: HistoryState, index: number): HistoryState {
	const runs = loadedRuns(state);
	const next = Math.min(Math.max(0, index), runs.length - 1);
	return runs[next] ? {...state, cursor: {id: runs[next].runId, index: next}} : state;
}

export function historyReducer(state: HistoryState, action: HistoryAction): HistoryState {
	switch (action.type) {
		case 'loading': {
			return state.runs.status === 'loaded' ? state : {...state, runs: {status: 'loading'}};
		}

		case 'loaded': {
			return {...state, runs: {status: 'loaded', journals: newestFirst(action.journals)}};
		}

		case 'failed': {
			return {...state, runs: {status: 'failed', message: action.message}};
		}

		case 'move': {
			return select(state, selectedIndex(state) + action.delta);
		}

		case 'move-to': {
			return select(state, action.edge === 'top' ? 0 : loadedRuns(state).length - 1);
		}

		case 'open': {
			const run = loadedRuns(state)[selectedIndex(state)];
			return run ? {...state, detail: {runId: run.runId, scroll: 0}} : state;
		}

		case 'close': {
			return {...state, detail: undefined};
		}

		case 'scroll': {
			return state.detail ? {...state, detail: {...state.detail, scroll: Math.max(0, action.to)}} : state;
		}
	}
}
