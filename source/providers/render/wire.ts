// Render API v1 shapes (shared/reference/render-openapi.json), only the fields the console reads.

export type WithCursor<K extends string, T> = Record<K, T> & {cursor: string};

export type WireOwner = {id: string; name: string; email?: string; type?: 'user' | 'team'};

export type WireService = {
	id: string;
	name: string;
	ownerId?: string;
	type: string;
	suspended?: 'suspended' | 'not_suspended';
	suspenders?: string[];
	autoDeploy?: 'yes' | 'no';
	repo?: string;
	branch?: string;
	createdAt?: string;
	serviceDetails?: {
		numInstances?: number;
		healthCheckPath?: string;
		openPorts?: Array<{port: number; protocol: string}>;
		url?: string;
		sshAddress?: string;
		region?: string;
		schedule?: string;
		/** Read here; written as `serviceDetails.preDeployCommand`. */
		envSpecificDetails?: {preDeployCommand?: string};
	};
};

export type WireDeployStatus =
	| 'created'
	| 'queued'
	| 'build_in_progress'
	| 'update_in_progress'
	| 'live'
	| 'deactivated'
	| 'build_failed'
	| 'update_failed'
	| 'canceled'
	| 'pre_deploy_in_progress'
	| 'pre_deploy_failed';

export type WireDeploy = {
	id: string;
	commit?: {id?: string; message?: string; createdAt?: string};
	image?: {ref?: string; sha?: string};
	status?: WireDeployStatus;
	trigger?: string;
	createdAt?: string;
	startedAt?: string;
	finishedAt?: string;
	updatedAt?: string;
};

export type WireInstance = {id: string; createdAt?: string};

export type WireEvent = {id: string; timestamp: string; serviceId: string; type: string; details?: Record<string, unknown>};

export type WireJob = {id: string; serviceId: string; startCommand: string; planId?: string; status?: 'pending' | 'running' | 'succeeded' | 'failed' | 'canceled'; createdAt?: string; startedAt?: string; finishedAt?: string};

export type WirePostgres = {
	id: string;
	name: string;
	status?: string;
	version?: string;
	suspended?: 'suspended' | 'not_suspended';
	diskSizeGB?: number;
	owner?: WireOwner;
	createdAt?: string;
};

export type WireExport = {id: string; createdAt: string; url?: string};

export type WireConnectionInfo = {password: string; internalConnectionString: string; externalConnectionString: string; psqlCommand: string};

export type WireLogEntry = {id: string; message: string; timestamp: string; labels?: Array<{name: string; value: string}>};

export type WireLogsPage = {hasMore: boolean; nextStartTime?: string; nextEndTime?: string; logs: WireLogEntry[]};
