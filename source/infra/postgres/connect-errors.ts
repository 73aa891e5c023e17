import type {DatabaseConnection} from '../../core/database.js';
import {formatDuration} from '../../core/format.js';
import {toPlainText} from '../sanitize.js';
import {PostgresError} from './postgres-error.js';

type NodePgError = Error & {code?: string; errors?: unknown[]};

/** "user@host:port/database", for messages. */
export function describe(conn: DatabaseConnection): string {
	const host = conn.host.includes(':') ? `[${conn.host}]` : conn.host;
	return `${conn.user}@${host}:${conn.port}/${conn.database}`;
}

/** Text from the server or a client program, safe to show: one line, no controls, no password. */
export function scrub(text: string, conn: Pick<DatabaseConnection, 'password'>, maxLength = 400): string {
	let result = toPlainText(text).replaceAll(/\s+/g, ' ').trim();
	// The server never echoes a password; this guards against one that slipped into a URL or a DSN.
	if (conn.password && conn.password.length >= 4) {
		result = result.split(conn.password).join('…');
	}

	return result.length > maxLength ? `${result.slice(0, maxLength - 1)}…` : result;
}

/** Why connecting failed, in the operator's terms; every message names the target, never the password. */
export function connectError(error: unknown, conn: DatabaseConnection, timeoutMs: number): PostgresError {
	const target = describe(conn);
	const where = `${conn.host}:${conn.port}`;
	const failure = error as NodePgError;
	const code = failure.code ?? firstCode(failure.errors);
	const reason = scrub(failure.message ?? String(error), conn);
	const options = {code, cause: error};
	switch (code) {
		case 'ECONNREFUSED': {
			return new PostgresError('unreachable', `Connection refused by ${where}: no PostgreSQL is listening there (connecting as ${target}, from ${conn.source}).`, {
				...options,
				hint: `Check the host and port in ${conn.source}, and that the database server (or the tunnel to it) is running.`,
			});
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return new PostgresError('unreachable', `Cannot resolve the database host "${conn.host}" (${target}, from ${conn.source}).`, {
				...options,
				hint: 'Check the host name, and your network or VPN: private database hosts resolve only inside their network.',
			});
		}

		case 'ETIMEDOUT':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH': {
			return new PostgresError('unreachable', `Cannot reach ${where} (${code}) for ${target}.`, {...options, hint: 'Check the address, your network or VPN, and firewalls.'});
		}

		case '28P01': {
			return new PostgresError('auth', `The server rejected the password of role "${conn.user}" (${target}, from ${conn.source}).`, {
				...options,
				hint: `Check the password in ${conn.source}; it may have been rotated on the platform.`,
			});
		}

		case '28000': {
			return /role .* does not exist/i.test(reason)
				? new PostgresError('auth', `The role "${conn.user}" does not exist on ${where} (${target}).`, {...options, hint: `Check the user name in ${conn.source}.`})
				: new PostgresError('auth', `The server refused ${target}: ${reason}`, {
					...options,
					hint: 'Check the user, the database and whether TLS is required (pg_hba.conf decides who may connect from where).',
				});
		}

		case '3D000': {
			return new PostgresError('no-database', `The database "${conn.database}" does not exist on ${where} (connecting as ${conn.user}, from ${conn.source}).`, {
				...options,
				hint: `Check the database name in ${conn.source}; \`psql -h ${conn.host} -p ${conn.port} -U ${conn.user} -l\` lists the databases there.`,
			});
		}

		case '42501': {
			return new PostgresError('permission', `The role "${conn.user}" may not connect to ${target}: ${reason}`, {...options, hint: 'Grant CONNECT on the database to the role, or use the role the platform gives the app.'});
		}

		case '53300':
		case '57P03': {
			return new PostgresError('busy', `${target} cannot take a connection now: ${reason}`, {...options, hint: 'Try again shortly; for too many connections, look for leaking clients or raise max_connections.'});
		}

		default: {
			break;
		}
	}

	if (/connection timeout|timeout expired/i.test(reason)) {
		return new PostgresError('timeout', `No answer from ${where} within ${timeoutMs < 1000 ? `${timeoutMs}ms` : formatDuration(timeoutMs)} (${target}).`, {
			...options,
			hint: 'Check the host and port, your network or VPN, firewalls, and that the server is not overloaded.',
		});
	}

	if (/password must be a string|password authentication|no password supplied/i.test(reason)) {
		return new PostgresError('auth', `The server asks for a password for role "${conn.user}" and none was given (${target}).`, {...options, hint: `Add the password to ${conn.source}.`});
	}

	if (/ssl|tls|certificate/i.test(reason)) {
		return new PostgresError('tls', `TLS with ${where} failed (${target}): ${reason}`, {
			...options,
			hint: conn.ssl === 'require' ? 'The server may not offer TLS: check whether it requires it.' : 'The server may require TLS: set ssl to "require" for this database.',
		});
	}

	return new PostgresError('unreachable', `Cannot connect to ${target}: ${reason}`, {...options, hint: `Check the connection details in ${conn.source}; \`psql\` with the same details should work first.`});
}

function firstCode(errors: unknown[] | undefined): string | undefined {
	const first = errors?.[0] as {code?: string} | undefined;
	return first?.code;
}
