import {Text} from 'ink';
import {memo} from 'react';
import type {LogSegment} from '../log-rows.js';

/** One screen row of a log line; never wraps (log-rows.ts already cut it to the width). */
export const LogRowText = memo(({segments}: {segments: LogSegment[]}) => (
	<Text wrap="truncate-end">
		{segments.map((segment, index) => (
			<Text key={index} color={segment.color} dimColor={segment.dim} bold={segment.bold} inverse={segment.inverse} underline={segment.underline}>
				{segment.text}
			</Text>
		))}
	</Text>
), (previous, next) => sameSegments(previous.segments, next.segments));

LogRowText.displayName = 'LogRowText';

function sameSegments(a: LogSegment[], b: LogSegment[]): boolean {
	if (a.length !== b.length) {
		return false;
	}

	return a.every((segment, index) => {
		const other = b[index];
		return other !== undefined && segment.text === other.text && segment.color === other.color && segment.dim === other.dim
			&& segment.bold === other.bold && segment.inverse === other.inverse && segment.underline === other.underline;
	});
}
