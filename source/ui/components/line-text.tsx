import {Text} from 'ink';
import {useTimeLabel} from '../clock.js';
import {formatAge, formatDuration} from '../../core/format.js';
import {isTimeSegment, type Line, type Segment, type TimeSegment} from '../line.js';
import {fit} from '../text.js';
import {toneStyles} from '../theme.js';

function timeLabel(segment: TimeSegment, now: number): string {
	if (!segment.from) {
		return '—';
	}

	const end = segment.time === 'duration' && segment.to ? segment.to.getTime() : now;
	const elapsed = end - segment.from.getTime();
	return segment.time === 'age' ? formatAge(elapsed) : formatDuration(elapsed);
}

function TimeText({segment}: {segment: TimeSegment}) {
	const label = useTimeLabel(now => `${segment.prefix ?? ''}${timeLabel(segment, now)}${segment.suffix ?? ''}`);
	const shown = segment.width === undefined ? label : fit(label, segment.width, segment.align);
	return <Text {...toneStyles[segment.tone ?? 'plain']}>{shown}</Text>;
}

function SegmentText({segment}: {segment: Segment}) {
	if (isTimeSegment(segment)) {
		return <TimeText segment={segment}/>;
	}

	return (
		<Text {...toneStyles[segment.tone ?? 'plain']} bold={segment.bold} inverse={segment.inverse}>
			{segment.text}
		</Text>
	);
}

/** One screen line; never wraps, clipped with `…` by Ink if it is still too wide. */
export function LineText({line, inverse, bold}: {line: Line; inverse?: boolean; bold?: boolean}) {
	return (
		<Text wrap="truncate-end" inverse={inverse} bold={bold}>
			{line.map((segment, index) => <SegmentText key={index} segment={segment}/>)}
		</Text>
	);
}
