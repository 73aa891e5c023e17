import {Box, useApp, useInput, useStdin, useStdout, useWindowSize} from 'ink';
import {useEffect, useMemo, useReducer, useState} from 'react';
import type {LiveSource} from '../core/live-state.js';
import type {LogStoreOptions} from '../core/log-store.js';
import {bodyDocument} from './body-document.js';
import {paletteCommands} from './commands.js';
import {ConfirmDialog} from './components/confirm-dialog.js';
import {DashboardPanes} from './components/dashboard-panes.js';
import {Footer} from './components/footer.js';
import {Header} from './components/header.js';
import {LogStatus} from './components/log-status.js';
import {LogViewer} from './components/log-viewer.js';
import {ScrollFrame} from './components/scroll-frame.js';
import {ShellChooser} from './components/shell-chooser.js';
import {StatusLine, statusRowCount} from './components/status-line.js';
import {dashboardModel} from './dashboard-model.js';
import type {DashboardActions, DashboardContext} from './dashboard-props.js';
import {handleKey} from './input-handler.js';
import type {Features} from './keymap.js';
import {bodyHeight, dataRows, findBox, headerRows} from './layout.js';
import {LogSessions, type OpenLogs} from './log-session.js';
import {paneGrid} from './pane-grid.js';
import {scrollGeometry} from './scroll-geometry.js';
import type {ScreenLinks} from './runbook/run-source.js';
import type {OpenShell} from './shell-launcher.js';
import {colourEnabled, writeClipboard} from './terminal.js';
import {initialUiState, uiReducer, type UiState} from './ui-state.js';
import {useLiveState} from './use-live-state.js';
import {useShell} from './use-shell.js';

export type DashboardProps = {
	source: LiveSource;
	context: DashboardContext;
	actions?: DashboardActions;
	/** Opens live logs of targets; absent, the log viewer and its keys do not exist. */
	openLogs?: OpenLogs;
	/** Buffer size and frame tick of log views. */
	logOptions?: LogStoreOptions;
	/** Connects a shell in a service, job or addon; absent, the shell key and command do not exist. */
	openShell?: OpenShell;
	/** The runbook and history screens (App supplies them); absent, their commands do not exist. */
	screens?: ScreenLinks;
	/** Another screen is shown over the dashboard: it draws nothing and reads no keys. */
	hidden?: boolean;
	onQuit?: () => void;
	/** No context exists yet: `S` leaves the sandbox for the guided setup, and the first screen says so. */
	onSetup?: () => void;
};

const setupBanner: UiState['status'] = {tone: 'accent', text: 'This is the sandbox; no context of yours yet. Press S to set one up (guided).'};

/** The live dashboard: header, panes (or a detail/help/log view), status line and key hints. */
export function Dashboard({source, context, actions, openLogs, logOptions, openShell, screens, hidden = false, onQuit, onSetup}: DashboardProps) {
	const {columns, rows} = useWindowSize();
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const {stdout} = useStdout();
	const live = useLiveState(source);
	const [ui, dispatch] = useReducer(uiReducer, onSetup ? {...initialUiState, status: setupBanner} : initialUiState);
	const [logSessions] = useState(() => new LogSessions(logOptions));
	const model = useMemo(() => dashboardModel(live.snapshot, ui), [live.snapshot, ui]);
	const features: Features = useMemo(() => ({
		logs: Boolean(openLogs), shell: Boolean(openShell), runbooks: Boolean(screens?.openRunbook), history: Boolean(screens?.openHistory), setup: Boolean(onSetup),
	}), [openLogs, openShell, screens, onSetup]);
	const shell = useShell(openShell, context, dispatch, ui.shell);
	const commands = useMemo(() => paletteCommands(Boolean(actions), features), [actions, features]);
	const colour = colourEnabled();

	const selectedServiceId = model.selectedService?.id;
	useEffect(() => {
		source.selectService(selectedServiceId);
	}, [source, selectedServiceId]);

	// The tail runs while its view is open (help over it included) and stops when it is left.
	const logsOpen = ui.view.kind === 'logs' || (ui.view.kind === 'help' && ui.view.back !== undefined);
	useEffect(() => {
		if (!logsOpen) {
			logSessions.close();
		}
	}, [logsOpen, logSessions]);
	useEffect(() => () => {
		logSessions.close();
	}, [logSessions]);

	const logView = ui.view.kind === 'logs' ? ui.view.logs : undefined;
	const logSession = logView ? logSessions.current : undefined;
	const showLogStatus = Boolean(logView && logSession && ui.input?.kind !== 'palette');
	const height = Math.max(0, bodyHeight(rows) - (showLogStatus ? 0 : statusRowCount(ui, columns) - 1));
	const grid = paneGrid(model, ui.focus, columns, height);
	const document = bodyDocument({live, ui, commands, canMutate: Boolean(actions), features, width: columns});
	const geometry = document ? scrollGeometry(document.lines, columns, height, document.twoColumns) : undefined;
	const focusedBox = findBox(grid, ui.focus);
	// The log viewer's own title line takes one row of the body.
	const logRows = height - 1;

	// The one keyboard handler of the console.
	useInput((input, key) => {
		// Hidden behind another screen, which reads the keys; raw mode stays as it is.
		if (hidden) {
			return;
		}

		handleKey({
			ui,
			dispatch,
			model,
			commands,
			source,
			actions,
			features,
			screens,
			maxScroll: geometry?.maxScroll ?? 0,
			pageSize: geometry?.visible ?? (focusedBox ? dataRows(focusedBox) : 1),
			openLogs: openLogs && (targets => {
				try {
					logSessions.open(openLogs(targets));
				} catch (error) {
					logSessions.close();
					dispatch({type: 'status', status: {tone: 'bad', text: `Could not open the logs: ${error instanceof Error ? error.message : String(error)}`}});
					return;
				}

				dispatch({type: 'open-logs', targets});
			}),
			logs: logView && logSession && {
				ui,
				view: logView,
				dispatch,
				session: logSession,
				columns,
				height: logRows,
				colour,
				copy: text => writeClipboard(stdout, text),
				now: () => new Date(),
			},
			shell: shell && {
				open: (target, label) => {
					shell.open(target, label, {columns, rows});
				},
				cancel: () => {
					shell.cancel();
				},
				typeahead: bytes => {
					shell.typeahead(bytes);
				},
			},
			confirmWord: context.protected ? context.name : undefined,
			openSetup: onSetup && (() => {
				onSetup();
				exit();
			}),
			quit() {
				onQuit?.();
				exit();
			},
		}, input, key);
	}, {isActive: isRawModeSupported});

	return (
		<Box flexDirection="column" width={columns} height={rows} overflow="hidden" display={hidden ? 'none' : 'flex'}>
			<Header context={context} live={live} width={columns}/>
			<Box width={columns} height={height} flexShrink={0} overflow="hidden">
				{logView && logSession
					? <LogViewer session={logSession} view={logView} width={columns} height={height} colour={colour}/>
					: (document
						? <ScrollFrame title={document.title} lines={document.lines} width={columns} height={height} scroll={ui.view.kind === 'help' || ui.view.kind === 'detail' ? ui.view.scroll : 0} twoColumns={document.twoColumns}/>
						: <DashboardPanes grid={grid} model={model} ui={ui} loading={live.loading}/>)}
			</Box>
			{logView && logSession && showLogStatus
				? <LogStatus session={logSession} view={logView} ui={ui} width={columns}/>
				: <StatusLine ui={ui} live={live} commands={commands} width={columns}/>}
			<Footer ui={ui} width={columns} features={features}/>
			{ui.dialog && <ConfirmDialog dialog={ui.dialog} context={context} columns={columns} bodyTop={headerRows} bodyHeight={height}/>}
			{ui.shell?.phase === 'choosing' && <ShellChooser shell={ui.shell} context={context} columns={columns} bodyTop={headerRows} bodyHeight={height}/>}
		</Box>
	);
}
