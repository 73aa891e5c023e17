import {Box} from 'ink';
import {type Line, text} from '../line.js';
import {scrollGeometry} from '../scroll-geometry.js';
import {LineText} from './line-text.js';
import {PaneFrame} from './pane-frame.js';

/** A full-body frame showing a scrolled window of `lines`, in two columns when wide enough. */
export function ScrollFrame({title, lines, width, height, scroll, twoColumns = false}: {
	title: Line;
	lines: Line[];
	width: number;
	height: number;
	scroll: number;
	twoColumns?: boolean;
}) {
	const geometry = scrollGeometry(lines, width, height, twoColumns);
	const offset = Math.min(scroll, geometry.maxScroll);
	const columnWidth = Math.floor((width - 2) / geometry.columns.length);
	const position = geometry.maxScroll > 0
		? [text(`  ${offset + 1}–${Math.min(offset + geometry.visible, geometry.length)} of ${geometry.length}  j/k scroll`, 'muted')]
		: [];
	return (
		<PaneFrame title={[...title, ...position]} width={width} height={height} focused>
			<Box flexDirection="row">
				{geometry.columns.map((column, index) => (
					<Box key={index} flexDirection="column" width={columnWidth} height={geometry.visible} overflow="hidden">
						{column.slice(offset, offset + geometry.visible).map((line, row) => <LineText key={row} line={[text(' '), ...line]}/>)}
					</Box>
				))}
			</Box>
		</PaneFrame>
	);
}
