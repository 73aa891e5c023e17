// Northflank REST API v1 shapes, as documented in shared/reference/northflank-api.md §2.
// Only the fields the console reads are declared; everything is optional where the API leaves it out.

export type Envelope<T> = {
	data: T;
	pagination?: {hasNextPage?: boolean; cursor?: string; count?: number};
};

export type WireProject = {
	id: string;
	name: string;
	description?: string;
	deployment?: {region?: string};
};

export type WireStatusPart = {status?: string; reason?: string; lastTransitionTime?: string};

export type WireServiceSummary = {
	id: string;
	appId?: string;
	name: string;
	serviceType?: string;
	disabledCI?: boolean;
	disabledCD?: boolean;
	status?: {build?: WireStatusPart; deployment?: WireStatusPart};
};

export type WireService = WireServiceSummary & {
	servicePaused?: boolean;
	deployment?: {
		instances?: number;
		internal?: {nfObjectId?: string; repository?: string; branch?: string; buildId?: string; buildSHA?: string; deployedSHA?: string};
		external?: {imagePath?: string};
	};
	ports?: Array<{name?: string; internalPort?: number; protocol?: string; public?: boolean}>;
};

export type WireHealthCheck = {protocol?: string; type?: string; path?: string; port?: number};

export type WireContainer = {name: string; status?: string; createdAt?: number | string; updatedAt?: number | string};

export type WireBuild = {
	id: string;
	branch?: string;
	sha?: string;
	status?: string;
	concluded?: boolean;
	success?: boolean;
	message?: string;
	createdAt?: number | string;
	buildConcludedAt?: number | string;
};

export type WireAddon = {
	id: string;
	name: string;
	status?: string;
	spec?: {type?: string; config?: {versionTag?: string; deployment?: {replicas?: number; storageSize?: number}}};
};

export type WireBackup = {
	id: string;
	name?: string;
	status?: string;
	backupType?: string;
	createdAt?: number | string;
	completedAt?: number | string;
	config?: {source?: {type?: string}; size?: number; backupType?: string};
};

export type WireJob = {
	id: string;
	name: string;
	jobType?: string;
	suspended?: boolean;
	settings?: {cron?: {schedule?: string}};
};

export type WireJobRun = {
	id: string;
	runName?: string;
	status?: string;
	concluded?: boolean;
	startedAt?: number | string;
	concludedAt?: number | string;
};
