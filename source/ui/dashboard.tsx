import {Box, useApp, useInput, useStdin, useWindowSize} from 'ink';
import {useEffect, useMemo, useReducer} from 'react';
import type {LiveSource} from '../core/live-state.js';
import {bodyDocument} from './body-document.js';
import {paletteCommands} from './commands.js';
import {ConfirmDialog} from './components/confirm-dialog.js';
import {DashboardPanes} from './components/dashboard-panes.js';
import {Footer} from './components/footer.js';
import {Header} from './components/header.js';
import {ScrollFrame} from './components/scroll-frame.js';
import {StatusLine} from './components/status-line.js';
import {dashboardModel} from './dashboard-model.js';
import type {DashboardActions, DashboardContext} from './dashboard-props.js';
import {handleKey} from './input-handler.js';
import {bodyHeight, dataRows, findBox, headerRows} from './layout.js';
import {paneGrid} from './pane-grid.js';
import {scrollGeometry} from './scroll-geometry.js';
import {initialUiState, uiReducer} from './ui-state.js';
import {useLiveState} from './use-live-state.js';

export type DashboardProps = {
	source: LiveSource;
	context: DashboardContext;
	actions?: DashboardActions;
	onQuit?: () => void;
};

/** The live dashboard: header, panes (or a detail/help view), status line and key hints. */
export function Dashboard({source, context, actions, onQuit}: DashboardProps) {
	const {columns, rows} = useWindowSize();
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const live = useLiveState(source);
	const [ui, dispatch] = useReducer(uiReducer, initialUiState);
	const model = useMemo(() => dashboardModel(live.snapshot, ui), [live.snapshot, ui]);
	const commands = useMemo(() => paletteCommands(Boolean(actions)), [actions]);

	const selectedServiceId = model.selectedService?.id;
	useEffect(() => {
		source.selectService(selectedServiceId);
	}, [source, selectedServiceId]);

	const height = bodyHeight(rows);
	const grid = paneGrid(model, ui.focus, columns, height);
	const document = bodyDocument({live, ui, commands, canMutate: Boolean(actions), width: columns});
	const geometry = document ? scrollGeometry(document.lines, columns, height, document.twoColumns) : undefined;
	const focusedBox = findBox(grid, ui.focus);

	// The one keyboard handler of the console.
	useInput((input, key) => {
		handleKey({
			ui,
			dispatch,
			model,
			commands,
			source,
			actions,
			maxScroll: geometry?.maxScroll ?? 0,
			pageSize: geometry?.visible ?? (focusedBox ? dataRows(focusedBox) : 1),
			quit() {
				onQuit?.();
				exit();
			},
		}, input, key);
	}, {isActive: isRawModeSupported});

	return (
		<Box flexDirection="column" width={columns} height={rows} overflow="hidden">
			<Header context={context} live={live} width={columns}/>
			<Box width={columns} height={height} flexShrink={0} overflow="hidden">
				{document
					? <ScrollFrame title={document.title} lines={document.lines} width={columns} height={height} scroll={ui.view.kind === 'panes' ? 0 : ui.view.scroll} twoColumns={document.twoColumns}/>
					: <DashboardPanes grid={grid} model={model} ui={ui} loading={live.loading}/>}
			</Box>
			<StatusLine ui={ui} live={live} commands={commands} width={columns}/>
			<Footer ui={ui} width={columns}/>
			{ui.dialog && <ConfirmDialog dialog={ui.dialog} context={context} columns={columns} bodyTop={headerRows} bodyHeight={height}/>}
		</Box>
	);
}
