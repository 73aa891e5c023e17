// The two lines around the log rows: the title (what is shown, stream health, counts) and the
// status line (follow or paused, search and filter, prompts and messages).
import {formatDuration} from '../core/format.js';
import type {LogStream} from '../core/log-store.js';
import type {TailState} from '../core/logs.js';
import {type Line, lineWidth, text} from './line.js';
import {shortLabels} from './log-rows.js';
import type {LogSession} from './log-session.js';
import {targetsTitle} from './log-targets.js';
import {truncate} from './text.js';
import type {LogViewState} from './log-view-state.js';
import type {UiState} from './ui-state.js';

const count = (value: number): string => value.toLocaleString('en-US');

/** `● live`, `◌ reconnecting (3) down 4s`, `● live gap 4s`, `✖ failed: …`, readable without colour. */
export function streamStateLine(state: TailState | undefined): Line {
	if (!state) {
		return [text('◌ connecting', 'busy')];
	}

	const gap = state.longestGapSeconds >= 1 ? [text(` gap ${formatDuration(state.longestGapSeconds * 1000)}`, 'warn')] : [];
	switch (state.status) {
		case 'connecting': {
			return [text('◌ connecting', 'busy')];
		}

		case 'live': {
			return [text('● live', 'good'), ...gap];
		}

		case 'reconnecting': {
			const down: Line = state.downSince ? [{time: 'age', from: state.downSince, prefix: ' down ', tone: 'warn'}] : [];
			return [text(`◌ reconnecting (${state.reconnects})`, 'warn'), ...down, ...gap];
		}

		case 'stopped': {
			return [text('○ stopped', 'muted')];
		}

		case 'failed': {
			return [text(`✖ failed${state.error ? `: ${state.error}` : ''}`, 'bad')];
		}
	}
}

/** One stream: its state. Several: a count of the live ones and each of the others by name. */
export function streamsLine(streams: readonly LogStream[]): Line {
	if (streams.length === 1) {
		return streamStateLine(streams[0]?.state);
	}

	const labels = shortLabels(streams.map(stream => stream.label));
	const live = streams.filter(stream => stream.state?.status === 'live' && stream.state.longestGapSeconds < 1);
	const line: Line = live.length > 0 ? [text(`● ${live.length} live`, 'good')] : [];
	for (const [index, stream] of streams.entries()) {
		if (live.includes(stream)) {
			continue;
		}

		if (line.length > 0) {
			line.push(text('  '));
		}

		line.push(text(`${labels[index] ?? stream.label} `), ...streamStateLine(stream.state));
	}

	return line;
}

/** Left: what is shown and the streams' health (the name gives way first). Right: line counts. */
export function titleLines(session: LogSession, view: LogViewState, width: number): {left: Line; right: Line} {
	const {store, query} = session;
	const right: Line = [text(query.filtered ? `${count(query.list.count)} of ${count(store.length)} lines` : `${count(store.length)} lines`, 'muted')];
	if (store.dropped > 0) {
		right.push(text(' · ', 'muted'), text(`${count(store.dropped)} older lines dropped`, 'warn'));
	}

	const logs = text('Logs · ', 'accent', true);
	const health = streamsLine(store.sources);
	const room = width - lineWidth(right) - 1 - lineWidth([logs, ...health]) - 2;
	const name = truncate(targetsTitle(view.targets), Math.max(8, room));
	return {left: [logs, text(name, undefined, true), text('  '), ...health], right};
}

const promptSigils = {search: '/', include: '&', exclude: '!', save: 'save to: '} as const;

const cursor = text('▏', 'accent');

/** Left: a prompt, a message, or the search and filter in force. Right: follow or paused. */
export function statusLines(session: LogSession, view: LogViewState, ui: UiState): {left: Line; right: Line} {
	if (ui.input?.kind === 'log-prompt') {
		const {prompt, error} = ui.input;
		const left: Line = [text(promptSigils[prompt], 'accent', true), text(ui.input.text), cursor];
		left.push(error
			? text(`  ✖ ${error}`, 'bad')
			: text(prompt === 'save' ? '  enter saves · esc cancels' : '  a regular expression · enter applies · esc clears', 'muted'));
		return {left, right: []};
	}

	if (view.overwrite) {
		return {left: [text(`${view.overwrite} exists. Replace it? `, 'warn', true), text('y replaces · n keeps it', 'muted')], right: []};
	}

	return {left: ui.status ? [text(ui.status.text, ui.status.tone)] : activeQuery(session, view), right: followLine(session, view)};
}

function activeQuery(session: LogSession, view: LogViewState): Line {
	const line: Line = [];
	const {matches} = session.query;
	if (view.search && matches) {
		const position = view.current === undefined ? -1 : matches.positionOf(view.current);
		const ordinal = position >= 0 && matches.seqAt(position) === view.current ? String(position + 1) : '–';
		line.push(text(`/${view.search}`, 'accent', true), text(` ${ordinal}/${count(matches.count)}`, matches.count === 0 ? 'warn' : undefined), text('  '));
	}

	if (view.include) {
		line.push(text(`&${view.include}`, 'accent', true), text('  '));
	}

	if (view.exclude) {
		line.push(text(`!${view.exclude}`, 'accent', true), text('  '));
	}

	if (view.raw) {
		line.push(text('raw JSON', 'muted'), text('  '));
	}

	if (!view.wrap && view.hscroll > 0) {
		line.push(text(`→ column ${view.hscroll + 1}`, 'muted'), text('  '));
	}

	if (session.store.history.loading) {
		line.push(text('loading older lines…', 'busy'));
	}

	return line;
}

function followLine(session: LogSession, view: LogViewState): Line {
	if (view.follow) {
		return [text('▼ FOLLOWING', 'accent', true)];
	}

	const {list} = session.query;
	const fresh = list.count - list.positionOf(view.pausedAt);
	return [
		{text: fresh > 0 ? ` PAUSED — ${count(fresh)} new lines ` : ' PAUSED ', tone: 'warn', inverse: true, bold: true},
		text(' G follows', 'muted'),
	];
}
