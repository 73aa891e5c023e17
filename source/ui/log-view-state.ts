// What the log viewer remembers between key presses. The lines themselves live in a LogStore;
// positions are sequence numbers, so they stay put while lines arrive and old ones are dropped.
import type {LogTarget} from '../core/logs.js';

/** A line (by sequence number) and, when it wraps, the screen row of it. */
export type LogAnchor = {seq: number; row: number};

export type LogViewState = {
	targets: LogTarget[];
	/** Glued to the newest line. */
	follow: boolean;
	/** The top of the window while paused. */
	top: LogAnchor;
	/** End of the buffer when follow stopped: lines after it are "new". */
	pausedAt: number;
	wrap: boolean;
	timestamps: boolean;
	/** JSON lines as sent instead of their readable rendering. */
	raw: boolean;
	/** Columns scrolled sideways (without wrap). */
	hscroll: number;
	/** Regular expressions; empty when off. */
	include: string;
	exclude: string;
	search: string;
	/** The search match the view is on, by sequence number. */
	current?: number;
	/** A save waits for y/n because this file exists. */
	overwrite?: string;
};

export type LogViewAction =
	| {type: 'follow'}
	| {type: 'pause-at'; top: LogAnchor; pausedAt: number}
	| {type: 'toggle'; option: 'wrap' | 'timestamps' | 'raw'}
	| {type: 'hscroll'; delta: number}
	| {type: 'filter'; include?: string; exclude?: string}
	| {type: 'search'; search: string}
	| {type: 'current'; seq: number | undefined}
	| {type: 'overwrite'; path: string | undefined};

export function initialLogViewState(targets: LogTarget[]): LogViewState {
	return {
		targets,
		follow: true,
		top: {seq: 0, row: 0},
		pausedAt: 0,
		wrap: true,
		timestamps: false,
		raw: false,
		hscroll: 0,
		include: '',
		exclude: '',
		search: '',
	};
}

export function logViewReducer(state: LogViewState, action: LogViewAction): LogViewState {
	switch (action.type) {
		case 'follow': {
			return {...state, follow: true};
		}

		case 'pause-at': {
			return {...state, follow: false, top: action.top, pausedAt: state.follow ? action.pausedAt : state.pausedAt};
		}

		case 'toggle': {
			const next = {...state, [action.option]: !state[action.option]};
			return action.option === 'wrap' ? {...next, hscroll: 0, top: {...state.top, row: 0}} : next;
		}

		case 'hscroll': {
			return state.wrap ? state : {...state, hscroll: Math.max(0, state.hscroll + action.delta)};
		}

		case 'filter': {
			return {...state, include: action.include ?? state.include, exclude: action.exclude ?? state.exclude};
		}

		case 'search': {
			return {...state, search: action.search, current: undefined};
		}

		case 'current': {
			return {...state, current: action.seq};
		}

		case 'overwrite': {
			return {...state, overwrite: action.path};
		}
	}
}
