// A screen line as data: styled segments, some of them live time labels. Tables, detail views and
// the help screen all produce lines; one component draws them.
import {type Align, textWidth, truncate} from './text.js';
import type {StatusLook, Tone} from './theme.js';

export type TextSegment = {text: string; tone?: Tone; bold?: boolean; inverse?: boolean};

/** "5m" since `from` (age) or from `from` to `to`-or-now (duration), re-rendered as time passes. */
export type TimeSegment = {
	time: 'age' | 'duration';
	from?: Date;
	to?: Date;
	width?: number;
	align?: Align;
	tone?: Tone;
	/** Drawn before the label, e.g. a status symbol: `✔ 3h`. */
	prefix?: string;
	/** Drawn after the label, e.g. ` ago`. */
	suffix?: string;
};

export type Segment = TextSegment | TimeSegment;

export type Line = Segment[];

/** Widest label a time segment can show without a width: `59m`, `1h04m`. */
export const timeLabelWidth = {age: 4, duration: 6} as const;

export const isTimeSegment = (segment: Segment): segment is TimeSegment => 'time' in segment;

export function segmentWidth(segment: Segment): number {
	if (isTimeSegment(segment)) {
		return segment.width ?? (textWidth(segment.prefix ?? '') + timeLabelWidth[segment.time] + textWidth(segment.suffix ?? ''));
	}

	return textWidth(segment.text);
}

export function lineWidth(line: Line): number {
	return line.reduce((sum, segment) => sum + segmentWidth(segment), 0);
}

export const text = (value: string, tone?: Tone, bold?: boolean): TextSegment => ({text: value, tone, bold});

export const statusSegment = (status: StatusLook): TextSegment => ({text: `${status.symbol} ${status.word}`, tone: status.tone});

/** Cuts a line to `width` columns, ending in `…` when something was cut. */
export function truncateLine(line: Line, width: number): Line {
	if (lineWidth(line) <= width) {
		return line;
	}

	const result: Line = [];
	let room = width;
	for (const segment of line) {
		const size = segmentWidth(segment);
		if (size < room) {
			result.push(segment);
			room -= size;
			continue;
		}

		if (!isTimeSegment(segment)) {
			result.push({...segment, text: truncate(segment.text, room)});
		} else if (room > 0) {
			result.push({text: '…', tone: segment.tone});
		}

		break;
	}

	return result;
}
