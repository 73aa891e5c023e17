import type {Connection} from '../cli/connect.js';
import {LiveStatus} from '../core/live-status.js';
import type {DashboardActions} from '../ui/dashboard-props.js';
import {renderDashboard} from '../ui/render-dashboard.js';

/** The full-screen console on one connection, until the user quits. */
export async function runConsole(connection: Connection): Promise<number> {
	const {provider, context} = connection;
	const source = new LiveStatus(provider);
	const actions: DashboardActions | undefined = context.readOnly ? undefined : {
		// The dashboard refreshes after an action succeeds.
		async startBuild(serviceId) {
			await provider.startBuild(serviceId);
		},
		async restartService(serviceId) {
			await provider.restartService(serviceId);
		},
	};
	await renderDashboard({source, context: {name: context.name, sandbox: context.sandbox, platform: context.platform}, actions});
	return 0;
}
