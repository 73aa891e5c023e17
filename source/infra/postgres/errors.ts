// What a failed statement or migration job means for the next step (release-safety §2.2, §5.1.10).
import {toPlainText} from '../sanitize.js';

export type PgFailureClass =
	/** Nothing changed and it may work later: lock timeout, deadlock, too many connections. */
	| 'retryable'
	/** The statement may have been cut short mid-way: reconcile the schema before anything else. */
	| 'schema-unknown'
	/** It ran and failed; no reason to expect a retry to do better. */
	| 'failed';

export type PgFailure = {class: PgFailureClass; reason: string; code?: string};

type Rule = {class: Exclude<PgFailureClass, 'failed'>; code: string; reason: string; codes: string[]; text: RegExp[]};

// Worse classes first: a log that shows both a lock timeout and a lost connection is 'schema-unknown'.
const rules: Rule[] = [
	{
		// pg_dump --lock-wait-timeout is a statement timeout on its LOCK TABLE: nothing was done yet.
		class: 'retryable', code: '57014', reason: 'pg_dump could not lock a table in time: another session holds it',
		codes: [],
		text: [/canceling statement due to statement timeout[\s\S]{0,80}Query was: LOCK TABLE/i],
	},
	{
		class: 'schema-unknown', code: '57014', reason: 'statement timeout: the statement was cancelled part-way',
		codes: ['57014'],
		text: [/canceling statement due to (statement timeout|user request)/i, /errors\.QueryCanceled/, /SQLSTATE[\s[:=]*57014/i],
	},
	{
		class: 'schema-unknown', code: '57P01', reason: 'the connection was lost while a statement ran',
		codes: ['57P01', '57P02', '08006', '08003', '08000', '08007'],
		text: [
			/terminating connection due to administrator command/i,
			/server closed the connection unexpectedly/i,
			/connection terminated unexpectedly/i,
			/errors\.AdminShutdown/,
			/SSL SYSCALL error: EOF detected/i,
			/SQLSTATE[\s[:=]*(57P0[12]|0800[0367])/i,
		],
	},
	{
		class: 'retryable', code: '55P03', reason: 'lock timeout: the table was busy and nothing changed',
		codes: ['55P03'],
		text: [/canceling statement due to lock timeout/i, /could not obtain lock on/i, /errors\.LockNotAvailable/, /SQLSTATE[\s[:=]*55P03/i],
	},
	{
		class: 'retryable', code: '40P01', reason: 'deadlock: the transaction was rolled back',
		codes: ['40P01', '40001'],
		text: [/deadlock detected/i, /errors\.DeadlockDetected/, /could not serialize access/i, /errors\.SerializationFailure/, /SQLSTATE[\s[:=]*40(P01|001)/i],
	},
	{
		class: 'retryable', code: '53300', reason: 'too many connections: the server turned the connection away',
		codes: ['53300'],
		text: [/too many (clients|connections)/i, /remaining connection slots are reserved/i, /errors\.TooManyConnections/, /SQLSTATE[\s[:=]*53300/i],
	},
];

const connectionLostCodes = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Classifies an error thrown by pg (by its SQLSTATE) or the text of a job's log (a Django or Alembic
 * traceback, psql output) by the messages PostgreSQL and psycopg print.
 */
export function classifyPgError(failure: unknown): PgFailure {
	if (typeof failure === 'string') {
		return classifyText(failure);
	}

	const error = failure as {code?: unknown; message?: unknown};
	const code = typeof error?.code === 'string' ? error.code : undefined;
	const message = typeof error?.message === 'string' ? error.message : String(failure);
	if (code) {
		const rule = rules.find(candidate => candidate.codes.includes(code));
		if (rule) {
			return {class: rule.class, reason: `${rule.reason} (${code})`, code};
		}

		if (connectionLostCodes.has(code)) {
			return {class: 'schema-unknown', reason: `the connection was lost while a statement ran (${code})`, code};
		}

		return {class: 'failed', reason: `${oneLine(message)} (${code})`, code};
	}

	return classifyText(message);
}

function classifyText(text: string): PgFailure {
	for (const rule of rules) {
		if (rule.text.some(pattern => pattern.test(text))) {
			return {class: rule.class, reason: rule.reason, code: rule.code};
		}
	}

	const code = /SQLSTATE[\s[:=]*([0-9A-Z]{5})/.exec(text)?.[1];
	return {class: 'failed', reason: lastErrorLine(text), ...(code ? {code} : {})};
}

/** The line a traceback ends on ("django.db.utils.ProgrammingError: relation … does not exist"), else the last line. */
function lastErrorLine(text: string): string {
	const lines = text.split(/\r?\n|\r/).map(line => toPlainText(line).trim()).filter(Boolean);
	const errorLine = lines.findLast(line => /^([\w.]+(Error|Exception|Warning)|ERROR|FATAL|PANIC|error)\b.*:/.test(line) || /\berror:/i.test(line));
	return oneLine(errorLine ?? lines.at(-1) ?? 'no error message');
}

function oneLine(text: string): string {
	const line = toPlainText(text).replaceAll(/\s+/g, ' ').trim();
	return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
