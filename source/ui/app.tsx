import {type Clock, ClockContext, systemClock} from './clock.js';
import {Dashboard, type DashboardProps} from './dashboard.js';
import type {ListRuns, OpenRunbook} from './runbook/run-source.js';
import {Screens} from './runbook/screens.js';

export type {DashboardActions, DashboardContext} from './dashboard-props.js';
export type {OpenLogs} from './log-session.js';
export type {OpenShell} from './shell-launcher.js';
export type {ListRuns, OpenRunbook, RunbookRequest, RunSource} from './runbook/run-source.js';

export type AppProps = Omit<DashboardProps, 'screens' | 'hidden'> & {
	/** Time source for "4s ago" labels; tests pass a manual one. */
	clock?: Clock;
	/** Starts a runbook (`:release`, `:rollback`, `:backup`); absent, or without actions (read-only), those commands do not exist. */
	openRunbook?: OpenRunbook;
	/** The journals of past runs (`:history`); absent, the command does not exist. */
	listRuns?: ListRuns;
	/** Least time between two frames of the runbook screen (default 100 ms); tests shorten it. */
	runbookFrameMs?: number;
};

/** The full-screen console. Render it with renderDashboard(), or with a test harness. */
export function App({clock, openRunbook, listRuns, runbookFrameMs, ...props}: AppProps) {
	return (
		<ClockContext value={clock ?? systemClock}>
			<Screens
				openRunbook={openRunbook}
				listRuns={listRuns}
				runbookFrameMs={runbookFrameMs}
				onQuit={props.onQuit}
				dashboard={(links, hidden) => <Dashboard {...props} screens={links} hidden={hidden}/>}
			/>
		</ClockContext>
	);
}
