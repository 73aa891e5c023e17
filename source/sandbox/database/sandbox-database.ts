// The sandbox addon's real PostgreSQL, as the rest of the sandbox sees it. Either a cluster the sandbox
// runs itself (initdb + pg_ctl, in the state dir or a temp dir) or a server given by URL.
import type {DatabaseConnection} from '../../core/database.js';

export type SandboxDatabaseOptions = {
	/** A real server to use instead of a managed cluster: the addon database lives there. */
	url?: string;
	/** Keep the managed cluster in DIR/postgres (with --state), else a temp dir removed on close. */
	stateDir?: string;
	/** The managed cluster's addon role password (kept in the sandbox state); generated when absent. */
	password?: string;
};

export type SandboxDatabase = {
	/** 'managed': a cluster the sandbox runs; 'url': a server given with --database-url. */
	readonly kind: 'managed' | 'url';
	/** Where the database lives, for messages; never holds the password. */
	describe(): string;
	/** Resolves once the server answers and the addon's database and role exist; rejects with a UsageError naming the fix. */
	ready(): Promise<void>;
	/** How the addon's own role reaches its database (what the credentials endpoint hands out). */
	connection(): Promise<DatabaseConnection>;
	/**
	 * A role allowed to end other sessions of the addon database (before a restore): the managed
	 * cluster's superuser over its unix socket, or the URL's own role.
	 */
	adminConnection(): Promise<DatabaseConnection>;
	/** Environment for a process that should talk to the addon database (PG*, DATABASE_URL, POSTGRES_*). */
	environment(): Promise<Record<string, string>>;
	/** Where backups of this addon are written. */
	backupsDirectory(): string;
	/** Stops a managed cluster (and removes it unless it lives in a state dir); leaves a URL's server alone. */
	close(): Promise<void>;
};
