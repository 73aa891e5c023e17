import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {type Line, lineWidth, truncateLine} from '../line.js';
import {LineText} from './line-text.js';

const borders = {
	focused: {left: '┏', fill: '━', right: '┓', style: 'bold'},
	unfocused: {left: '┌', fill: '─', right: '┐', style: 'single'},
} as const;

/**
 * A bordered pane with its title in the top border. The focused pane has a heavy, coloured border,
 * so focus is visible without colour too.
 */
export function PaneFrame({title, width, height, focused, children}: {
	title: Line;
	width: number;
	height: number;
	focused: boolean;
	children: ReactNode;
}) {
	const border = focused ? borders.focused : borders.unfocused;
	const borderColor = focused ? 'cyan' : undefined;
	// Corner, fill, space, title, space, at least one fill, corner.
	const shownTitle = truncateLine(title, Math.max(0, width - 6));
	const fill = Math.max(0, width - 5 - lineWidth(shownTitle));
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Box width={width} height={1}>
				<Text wrap="truncate-end">
					<Text color={borderColor} dimColor={!focused}>{`${border.left}${border.fill} `}</Text>
					<LineText line={shownTitle} bold={focused}/>
					<Text color={borderColor} dimColor={!focused}>{` ${border.fill.repeat(fill)}${border.right}`}</Text>
				</Text>
			</Box>
			<Box
				flexDirection="column"
				width={width}
				height={Math.max(0, height - 1)}
				borderStyle={border.style}
				borderTop={false}
				borderColor={borderColor}
				borderDimColor={!focused}
				overflow="hidden"
			>
				{children}
			</Box>
		</Box>
	);
}
