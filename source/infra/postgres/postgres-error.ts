import {WheelhouseError} from '../../core/errors.js';

export type PostgresErrorKind =
	/** Nothing answered at host:port (refused, no route, DNS). */
	| 'unreachable'
	| 'timeout'
	/** The server refused the role or its password, or wants a password that was not given. */
	| 'auth'
	| 'no-database'
	/** The role may not connect to the database, or lacks a privilege the operation needs. */
	| 'permission'
	| 'tls'
	/** The server cannot take a connection now: too many connections, starting up, shutting down. */
	| 'busy'
	/** A client program (pg_dump, pg_restore) is missing or older than the server. */
	| 'client-program'
	/** Someone else holds the lock this operation needs. */
	| 'lock-held'
	/** A client program or statement ran and failed. */
	| 'failed';

const configurationProblems = new Set<PostgresErrorKind>(['unreachable', 'timeout', 'auth', 'no-database', 'permission', 'tls', 'client-program']);

/**
 * A PostgreSQL problem the operator can act on. Everything that stops a connection being made or a
 * client program being used exits 2 (fix the configuration); a failure once connected exits 1.
 * Messages name user@host:port/database, never the password.
 */
export class PostgresError extends WheelhouseError {
	readonly kind: PostgresErrorKind;
	/** The SQLSTATE, when the server sent one. */
	readonly code: string | undefined;

	constructor(kind: PostgresErrorKind, message: string, options: {hint?: string; code?: string; cause?: unknown} = {}) {
		super(message, {hint: options.hint, cause: options.cause, exitCode: configurationProblems.has(kind) ? 2 : 1});
		this.name = 'PostgresError';
		this.kind = kind;
		this.code = options.code;
	}
}
