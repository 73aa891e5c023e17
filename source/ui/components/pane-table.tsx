import {Box} from 'ink';
import {useMemo} from 'react';
import {text} from '../line.js';
import {type Column, fitColumns, headerLine, rowLine} from '../table-layout.js';
import {useScrollOffset} from '../use-scroll-offset.js';
import {LineText} from './line-text.js';

/**
 * Column headers and the window of rows that fits `height`, following the selection. The first
 * column is a gutter holding `›` on the selected row, so the selection shows without colour.
 */
export function PaneTable<Row extends {id: string}>({columns, rows, measured, selectedIndex, focused, width, height, empty}: {
	columns: ReadonlyArray<Column<Row>>;
	rows: readonly Row[];
	/** Rows the column widths are fitted to: all of them, so typing a filter does not shift columns. */
	measured: readonly Row[];
	selectedIndex: number;
	focused: boolean;
	width: number;
	height: number;
	empty: string;
}) {
	const fitted = useMemo(() => fitColumns(columns, measured, Math.max(1, width - 1)), [columns, measured, width]);
	const visibleRows = Math.max(0, height - 1);
	const offset = useScrollOffset(selectedIndex, visibleRows, rows.length);
	const visible = rows.slice(offset, offset + visibleRows);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<LineText line={[{text: ' '}, ...headerLine(fitted)]}/>
			{rows.length === 0 && <LineText line={[text(` ${empty}`, 'muted')]}/>}
			{visible.map((row, position) => {
				const selected = offset + position === selectedIndex;
				return (
					<LineText
						key={row.id}
						line={[{text: selected ? '›' : ' ', tone: focused ? 'accent' : 'muted', bold: true}, ...rowLine(fitted, row)]}
						inverse={selected && focused}
					/>
				);
			})}
		</Box>
	);
}
