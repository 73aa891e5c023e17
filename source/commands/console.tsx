import type {Connection, ConnectionPlan} from '../cli/connect.js';
import {LiveStatus} from '../core/live-status.js';
import {PendingLiveSource} from '../core/pending-source.js';
import {createProviderLogSource} from '../core/provider-log-source.js';
import type {DashboardActions} from '../ui/dashboard-props.js';
import {renderDashboard} from '../ui/render-dashboard.js';
import type {ListRuns, OpenRunbook} from '../ui/runbook/run-source.js';

/**
 * The full-screen console, until the user quits. The first frame is painted while the connection
 * is made; if the platform refuses it, the console closes and the error is thrown for the CLI to report.
 */
export async function runConsole(plan: ConnectionPlan): Promise<number | 'setup'> {
	const source = new PendingLiveSource();
	const closeConsole = new AbortController();
	let connection: Connection | undefined;
	let failure: unknown;
	let setupAsked = false;

	const providerOf = () => {
		if (!connection) {
			throw new Error('Still connecting; try again in a moment.');
		}

		return connection.provider;
	};

	// Loaded on first use, so the engine stays out of the first frame's path.
	let runbookLinks: Promise<{openRunbook: OpenRunbook; listRuns: ListRuns}> | undefined;
	const runbooks = async () => {
		runbookLinks ??= import('./console-runbooks.js').then(module => module.consoleRunbooks(providerOf, plan.context));
		return runbookLinks;
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
		context: {name: plan.context.name, sandbox: plan.context.sandbox, platform: plan.context.platform, environment: plan.context.environment, protected: plan.context.protected, readOnly: plan.context.readOnly},
		// The first run, on the sandbox: `S` leaves it for the guided setup.
		onSetup: plan.offerSetup ? () => {
			setupAsked = true;
		} : undefined,
		actions,
		openLogs: targets => createProviderLogSource(providerOf(), targets),
		// A shell can change anything: read-only contexts have none.
		openShell: plan.context.readOnly ? undefined : async (target, size) => providerOf().openExec(target, {tty: true, columns: size.columns, rows: size.rows}),
		// Runbooks change the deployment: read-only contexts can read the history, not start one.
		openRunbook: plan.context.readOnly ? undefined : async request => (await runbooks()).openRunbook(request),
		listRuns: async () => (await runbooks()).listRuns(),
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

	if (failure !== undefined && !setupAsked) {
		throw failure;
	}

	return setupAsked ? 'setup' : 0;
}
