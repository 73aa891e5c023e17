// What the log viewer's keys do. Movement is computed from the frame on screen (the same
// computation the viewer renders from), then stored as an anchor that survives new lines.
import type {Dispatch} from 'react';
import {compilePattern} from '../core/log-index.js';
import {entryPlainText} from '../core/log-entry.js';
import type {LogKeyCommand} from './keymap.js';
import {type LogFrame, logFrame} from './log-frame.js';
import {textColumns} from './log-rows.js';
import {logFileChunks, resolveSavePath, saveLogFile} from './log-save.js';
import type {LogSession} from './log-session.js';
import {defaultSavePath} from './log-targets.js';
import type {LogViewState} from './log-view-state.js';
import {anchorOf, comparePositions, moveBy, type Position} from './log-window.js';
import type {LogPromptKind, UiAction, UiState} from './ui-state.js';

export type LogInputContext = {
	ui: UiState;
	view: LogViewState;
	dispatch: Dispatch<UiAction>;
	session: LogSession;
	columns: number;
	/** Rows of log lines on screen. */
	height: number;
	colour: boolean;
	/** Puts text on the clipboard (OSC 52); returns the characters copied. */
	copy(text: string): number;
	now(): Date;
};

const count = (value: number): string => value.toLocaleString('en-US');

const frameOf = (context: LogInputContext, view = context.view): LogFrame =>
	logFrame(context.session, view, {columns: context.columns, height: context.height, colour: context.colour});

const isVeryTop = (position: Position): boolean => position.position === 0 && position.row === 0;

const logs = (context: LogInputContext, action: Extract<UiAction, {type: 'logs'}>['action']) => {
	context.dispatch({type: 'logs', action});
};

const status = (context: LogInputContext, tone: 'good' | 'warn' | 'bad' | 'muted', text: string) => {
	context.dispatch({type: 'status', status: {tone, text}});
};

function loadOlder(context: LogInputContext): void {
	const {store} = context.session;
	if (store.history.loading) {
		return;
	}

	status(context, 'muted', 'Loading older lines…');
	void store.loadOlder().then(outcome => {
		switch (outcome.kind) {
			case 'loaded': {
				status(context, outcome.full ? 'warn' : 'muted', outcome.full
					? `Loaded ${count(outcome.added)} older lines; the buffer is full (${count(store.capacity)} lines): older history cannot be held. Save (s) what you need.`
					: `Loaded ${count(outcome.added)} older lines. k or g for more.`);
				break;
			}

			case 'exhausted': {
				status(context, 'muted', 'This is the start of the history.');
				break;
			}

			case 'full': {
				status(context, 'warn', `The buffer is full (${count(store.capacity)} lines): older history cannot be held. Save (s) what you need.`);
				break;
			}

			case 'failed': {
				status(context, 'bad', `Could not load older lines: ${outcome.error}`);
				break;
			}

			case 'busy': {
				break;
			}
		}
	});
}

/** Moves the window by screen rows: up pauses follow, reaching the bottom re-engages it. */
function scroll(context: LogInputContext, delta: number): void {
	const frame = frameOf(context);
	if (delta < 0 && isVeryTop(frame.top)) {
		loadOlder(context);
		return;
	}

	const next = moveBy(frame.lines, frame.top, delta, frame.height);
	if (comparePositions(next, frame.bottom) >= 0) {
		if (!context.view.follow && delta > 0) {
			logs(context, {type: 'follow'});
		}

		return;
	}

	logs(context, {type: 'pause-at', top: anchorOf(frame.lines, next), pausedAt: context.session.store.endSeq});
}

function toTop(context: LogInputContext): void {
	const frame = frameOf(context);
	if (isVeryTop(frame.top)) {
		loadOlder(context);
		return;
	}

	logs(context, {type: 'pause-at', top: anchorOf(frame.lines, {position: 0, row: 0}), pausedAt: context.session.store.endSeq});
}

/** Puts a line a third of the way down the window, so what led to it stays in view. */
function showLine(context: LogInputContext, view: LogViewState, seq: number): void {
	const frame = frameOf(context, view);
	const position = frame.lines.list.positionOf(seq);
	const top = moveBy(frame.lines, {position, row: 0}, -Math.floor(frame.height / 3), frame.height);
	logs(context, {type: 'current', seq});
	logs(context, {type: 'pause-at', top: anchorOf(frame.lines, top), pausedAt: context.session.store.endSeq});
}

/** The next (newer) or previous match from the current one (or from the window), wrapping round. */
function jump(context: LogInputContext, direction: 1 | -1, view = context.view): void {
	const frame = frameOf(context, view);
	const {matches} = context.session.query;
	if (!view.search || !matches) {
		status(context, 'muted', 'No search: press / to search.');
		return;
	}

	if (matches.count === 0) {
		status(context, 'warn', `No line matches /${view.search}`);
		return;
	}

	const visible = frame.rows;
	const firstShown = visible[0]?.seq ?? 0;
	const lastShown = visible.at(-1)?.seq ?? 0;
	let index: number;
	if (view.current !== undefined && visible.some(row => row.seq === view.current) && matches.seqAt(matches.positionOf(view.current)) === view.current) {
		index = matches.positionOf(view.current) + direction;
	} else {
		// From the window: the first match in or below it, or the last one in or above it.
		index = direction === 1 ? matches.positionOf(firstShown) : matches.positionOf(lastShown + 1) - 1;
	}

	let wrapped = false;
	if (index >= matches.count) {
		index = 0;
		wrapped = true;
	} else if (index < 0) {
		index = matches.count - 1;
		wrapped = true;
	}

	const seq = matches.seqAt(index);
	if (seq === undefined) {
		return;
	}

	showLine(context, view, seq);
	if (wrapped) {
		status(context, 'muted', direction === 1 ? 'Passed the newest match; back to the oldest.' : 'Passed the oldest match; on to the newest.');
	}
}

function applySearch(context: LogInputContext, text: string): void {
	context.dispatch({type: 'input-close', clearFilter: false});
	logs(context, {type: 'search', search: text});
	if (!text) {
		return;
	}

	const view = {...context.view, search: text, current: undefined};
	frameOf(context, view);
	const {matches} = context.session.query;
	if (!matches || matches.count === 0) {
		status(context, 'warn', `No line matches /${text}`);
		return;
	}

	// Following, the newest match is the one that matters; paused, the first from where the eye is.
	if (context.view.follow) {
		const newest = matches.seqAt(matches.count - 1);
		if (newest !== undefined) {
			showLine(context, view, newest);
		}
	} else {
		jump(context, 1, view);
	}
}

function startSave(context: LogInputContext, path: string, overwrite: boolean): void {
	const {store, query} = context.session;
	const {chunks, lines} = logFileChunks(store, query.list, context.view.raw);
	status(context, 'muted', `Saving ${count(lines)} lines…`);
	void saveLogFile(path, chunks, lines, {overwrite}).then(outcome => {
		switch (outcome.kind) {
			case 'saved': {
				status(context, 'good', `Saved ${count(outcome.lines)} ${query.filtered ? 'filtered ' : ''}lines to ${outcome.path}`);
				break;
			}

			case 'exists': {
				context.dispatch({type: 'status', status: undefined});
				logs(context, {type: 'overwrite', path: outcome.path});
				break;
			}

			case 'failed': {
				status(context, 'bad', `Could not save to ${outcome.path}: ${outcome.error}`);
				break;
			}
		}
	});
}

function applyPrompt(context: LogInputContext): void {
	const {ui, dispatch} = context;
	if (ui.input?.kind !== 'log-prompt') {
		return;
	}

	const {prompt, text} = ui.input;
	if (prompt === 'save') {
		dispatch({type: 'input-close', clearFilter: false});
		startSave(context, resolveSavePath(text || defaultSavePath(context.view.targets, context.now())), false);
		return;
	}

	if (text) {
		const compiled = compilePattern(text);
		if ('error' in compiled) {
			dispatch({type: 'input-error', error: `not a valid regular expression: ${compiled.error}`});
			return;
		}
	}

	if (prompt === 'search') {
		applySearch(context, text);
		return;
	}

	dispatch({type: 'input-close', clearFilter: false});
	logs(context, {type: 'filter', [prompt]: text});
}

function cancelPrompt(context: LogInputContext): void {
	const {ui, dispatch} = context;
	dispatch({type: 'input-close', clearFilter: false});
	if (ui.input?.kind !== 'log-prompt') {
		return;
	}

	const {prompt} = ui.input;
	if (prompt === 'search') {
		logs(context, {type: 'search', search: ''});
	} else if (prompt !== 'save') {
		logs(context, {type: 'filter', [prompt]: ''});
	}
}

function copyCurrentLine(context: LogInputContext): void {
	const frame = frameOf(context);
	const {current} = context.view;
	const row = frame.rows.find(candidate => candidate.seq === current) ?? frame.rows.at(-1);
	if (!row) {
		status(context, 'muted', 'Nothing to copy yet.');
		return;
	}

	const text = entryPlainText(row.entry, context.view.raw);
	const copied = context.copy(text);
	const preview = text.length > 40 ? `${text.slice(0, 39)}…` : text;
	status(context, 'good', `Copied ${count(copied)} characters (OSC 52): ${preview}`);
}

const promptText = (view: LogViewState, prompt: LogPromptKind, now: Date): string => {
	switch (prompt) {
		case 'search': {
			return view.search;
		}

		case 'include': {
			return view.include;
		}

		case 'exclude': {
			return view.exclude;
		}

		case 'save': {
			return defaultSavePath(view.targets, now);
		}
	}
};

export function runLogCommand(context: LogInputContext, command: LogKeyCommand): void {
	const {dispatch, view} = context;
	const page = Math.max(1, context.height - 1);
	if (context.ui.status && !command.startsWith('log-')) {
		dispatch({type: 'status', status: undefined});
	}

	switch (command) {
		case 'logs-back': {
			dispatch({type: 'close-view'});
			break;
		}

		case 'logs-down':
		case 'logs-up': {
			scroll(context, command === 'logs-down' ? 1 : -1);
			break;
		}

		case 'logs-half-down':
		case 'logs-half-up': {
			scroll(context, (command === 'logs-half-down' ? 1 : -1) * Math.max(1, Math.floor(context.height / 2)));
			break;
		}

		case 'logs-page-down':
		case 'logs-page-up': {
			scroll(context, command === 'logs-page-down' ? page : -page);
			break;
		}

		case 'logs-top': {
			toTop(context);
			break;
		}

		case 'logs-bottom': {
			logs(context, {type: 'follow'});
			break;
		}

		case 'logs-search':
		case 'logs-include':
		case 'logs-exclude':
		case 'logs-save': {
			const prompt = ({'logs-search': 'search', 'logs-include': 'include', 'logs-exclude': 'exclude', 'logs-save': 'save'} as const)[command];
			dispatch({type: 'start-log-prompt', prompt, text: promptText(view, prompt, context.now())});
			break;
		}

		case 'logs-next':
		case 'logs-previous': {
			jump(context, command === 'logs-next' ? 1 : -1);
			break;
		}

		case 'logs-wrap':
		case 'logs-timestamps':
		case 'logs-json': {
			const option = ({'logs-wrap': 'wrap', 'logs-timestamps': 'timestamps', 'logs-json': 'raw'} as const)[command];
			logs(context, {type: 'toggle', option});
			break;
		}

		case 'logs-left':
		case 'logs-right': {
			if (view.wrap) {
				status(context, 'muted', 'Lines wrap: press w to cut them and scroll sideways.');
				break;
			}

			const step = Math.max(8, Math.floor(textColumns(frameOf(context).format) / 2));
			logs(context, {type: 'hscroll', delta: command === 'logs-right' ? step : -step});
			break;
		}

		case 'logs-copy': {
			copyCurrentLine(context);
			break;
		}

		case 'log-prompt-apply': {
			applyPrompt(context);
			break;
		}

		case 'log-prompt-cancel': {
			cancelPrompt(context);
			break;
		}

		case 'log-overwrite-yes': {
			const path = view.overwrite;
			logs(context, {type: 'overwrite', path: undefined});
			if (path) {
				startSave(context, path, true);
			}

			break;
		}

		case 'log-overwrite-no': {
			logs(context, {type: 'overwrite', path: undefined});
			status(context, 'muted', 'Not saved; the file was left as it was.');
			break;
		}
	}
}
