/** Which deployment the console is looking at, for the header. */
export type DashboardContext = {
	name: string;
	/** Connected to the local sandbox platform: the header shows a SANDBOX badge. */
	sandbox: boolean;
	platform: string;
	/** Shown next to the name; production in red. */
	environment?: string;
	/** Restart and build ask for the context's name to be typed. */
	protected?: boolean;
	/** Nothing that changes the deployment is offered. */
	readOnly?: boolean;
};

/**
 * Mutating operations, supplied by whoever owns the provider so the UI never calls one itself.
 * Absent in read-only mode: the commands that would use them do not exist then.
 */
export type DashboardActions = {
	startBuild(serviceId: string): Promise<void>;
	restartService(serviceId: string): Promise<void>;
};
