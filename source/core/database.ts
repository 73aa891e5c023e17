// How the console reaches a deployment's PostgreSQL, platform-neutral. The password is a secret: it
// goes to `pg` and to child processes' environments (PGPASSWORD), never to the screen, logs or journals.

export type DatabaseConnection = {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	/** 'require' when the platform enforces TLS; the sandbox and loopback servers use 'disable'. */
	ssl?: 'disable' | 'require';
	/** Where these details came from, for messages ("addon credentials", "DATABASE_URL"). */
	source: string;
};

/** One addon restore, as the platform reports it. */
export type Restore = {
	id: string;
	backupId: string;
	status: 'in-progress' | 'completed' | 'failed' | 'aborted' | 'unknown';
	rawStatus: string;
	startedAt?: Date;
	completedAt?: Date;
};

/** The answer of a service's health endpoint. */
export type HealthProbe = {
	url: string;
	/** HTTP status, or undefined when nothing answered. */
	status?: number;
	ok: boolean;
	ms: number;
	/** First line of the body or the connection error, sanitised and short. */
	detail: string;
};
