import {type Clock, ClockContext, systemClock} from './clock.js';
import {Dashboard, type DashboardProps} from './dashboard.js';

export type {DashboardActions, DashboardContext} from './dashboard-props.js';
export type {OpenLogs} from './log-session.js';
export type {OpenShell} from './shell-launcher.js';

export type AppProps = DashboardProps & {
	/** Time source for "4s ago" labels; tests pass a manual one. */
	clock?: Clock;
};

/** The full-screen console. Render it with renderDashboard(), or with a test harness. */
export function App({clock, ...props}: AppProps) {
	return (
		<ClockContext value={clock ?? systemClock}>
			<Dashboard {...props}/>
		</ClockContext>
	);
}
