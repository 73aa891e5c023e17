import {Box} from 'ink';
import {type Line, lineWidth, truncateLine} from '../line.js';
import {LineText} from './line-text.js';

/** One screen line: `right` kept whole at the right edge, `left` cut with `…` to the room left. */
export function SplitLine({left, right, width}: {left: Line; right: Line; width: number}) {
	const rightWidth = Math.min(lineWidth(right), Math.max(0, width - 1));
	const leftWidth = Math.max(0, width - rightWidth - (rightWidth > 0 ? 1 : 0));
	return (
		<Box width={width} height={1} flexShrink={0}>
			<Box width={leftWidth} height={1} overflow="hidden">
				<LineText line={truncateLine(left, leftWidth)}/>
			</Box>
			{rightWidth > 0 && (
				<Box width={width - leftWidth} height={1} justifyContent="flex-end" overflow="hidden">
					<LineText line={truncateLine(right, rightWidth)}/>
				</Box>
			)}
		</Box>
	);
}
