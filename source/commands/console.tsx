import type {Connection, ConnectionPlan} from '../cli/connect.js';
import {LiveStatus} from '../core/live-status.js';
import {PendingLiveSource} from '../core/pending-source.js';
import {createProviderLogSource} from '../core/provider-log-source.js';
import type {DashboardActions} from '../ui/dashboard-props.js';
import {renderDashboard} from '../ui/render-dashboard.js';

/**
 * The full-screen console, until the user quits. The first frame is painted while the connection
 * is made; if the platform refuses it, the console closes and the error is thrown for the CLI to report.
 */
export async function runConsole(plan: ConnectionPlan): Promise<number> {
	const source = new PendingLiveSource();
	const closeConsole = new AbortController();
	let connection: Connection | undefined;
	let failure: unknown;

	const providerOf = () => {
		if (!connection) {
			throw new Error('Still connecting; try again in a moment.');
		}

		return connection.provider;
	};

	// The dashboard refreshes after an action succeeds.
	const actions: DashboardActions | undefined = plan.context.readOnly ? undefined : {
		async startBuild(serviceId) {
			await providerOf().startBuild(serviceId);
		},
		async restartService(serviceId) {
			await providerOf().restartService(serviceId);
		},
	};

	const rendering = renderDashboard({
		source,
		context: {name: plan.context.name, sandbox: plan.context.sandbox, platform: plan.context.platform},
		actions,
		openLogs: targets => createProviderLogSource(providerOf(), targets),
		// A shell can change anything: read-only contexts have none.
		openShell: plan.context.readOnly ? undefined : async (target, size) => providerOf().openExec(target, {tty: true, columns: size.columns, rows: size.rows}),
		signal: closeConsole.signal,
	});
	// Paint the first frame before the connection's work takes the (single) thread.
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	const connecting = plan.open().then(opened => {
		connection = opened;
		source.attach(new LiveStatus(opened.provider));
	}, (error: unknown) => {
		failure = error;
		closeConsole.abort();
	});

	try {
		await rendering;
		await connecting;
	} finally {
		await connection?.close();
	}

	if (failure !== undefined) {
		throw failure;
	}

	return 0;
}
