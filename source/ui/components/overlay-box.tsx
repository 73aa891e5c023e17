import {Box} from 'ink';
import {type Line, text} from '../line.js';
import {LineText} from './line-text.js';

/** A bordered box of lines drawn over the panes, centred in the body. */
export function OverlayBox({lines, width, columns, bodyTop, bodyHeight, borderStyle, borderColor}: {
	lines: Line[];
	width: number;
	columns: number;
	bodyTop: number;
	bodyHeight: number;
	borderStyle: 'bold' | 'round';
	borderColor: string;
}) {
	const height = lines.length + 2;
	return (
		<Box
			position="absolute"
			top={bodyTop + Math.max(0, Math.floor((bodyHeight - height) / 2))}
			left={Math.max(0, Math.floor((columns - width) / 2))}
			width={width}
			flexDirection="column"
			borderStyle={borderStyle}
			borderColor={borderColor}
		>
			{/* Every cell is written, blanks included, so the panes underneath do not show through. */}
			{lines.map((line, index) => <LineText key={index} line={[text(' '), ...line, text(' ')]}/>)}
		</Box>
	);
}
