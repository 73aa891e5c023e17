// What `python manage.py migrate` prints on stderr when a database error kills it: the tail of the
// traceback Django 3.2 with psycopg2 prints (the psycopg2 error, then Django's wrapper of it), and a
// last sandbox line naming the SQLSTATE, so a reader (or the console) can tell 55P03 from 57014.

const site = '/usr/local/lib/python3.12/site-packages/django';

/** psycopg2's class for the SQLSTATEs a migration meets most, and the condition name PostgreSQL gives it. */
const conditions: Record<string, {psycopg: string; name: string}> = {
	'55P03': {psycopg: 'LockNotAvailable', name: 'lock_not_available'},
	'57014': {psycopg: 'QueryCanceled', name: 'query_canceled'},
	'40P01': {psycopg: 'DeadlockDetected', name: 'deadlock_detected'},
	'23505': {psycopg: 'UniqueViolation', name: 'unique_violation'},
	'23502': {psycopg: 'NotNullViolation', name: 'not_null_violation'},
	'23503': {psycopg: 'ForeignKeyViolation', name: 'foreign_key_violation'},
	'23514': {psycopg: 'CheckViolation', name: 'check_violation'},
	'42P01': {psycopg: 'UndefinedTable', name: 'undefined_table'},
	'42P07': {psycopg: 'DuplicateTable', name: 'duplicate_table'},
	'42701': {psycopg: 'DuplicateColumn', name: 'duplicate_column'},
	'42703': {psycopg: 'UndefinedColumn', name: 'undefined_column'},
	'42601': {psycopg: 'SyntaxError', name: 'syntax_error'},
	'42501': {psycopg: 'InsufficientPrivilege', name: 'insufficient_privilege'},
	P0001: {psycopg: 'RaiseException', name: 'raise_exception'},
	'25P02': {psycopg: 'InFailedSqlTransaction', name: 'in_failed_sql_transaction'},
	'53300': {psycopg: 'TooManyConnections', name: 'too_many_connections'},
};

/** Django's wrapper class, from the SQLSTATE's class (the mapping psycopg2 and django.db.utils share). */
function djangoClass(code: string | undefined): string {
	const sqlClass = code?.slice(0, 2);
	switch (sqlClass) {
		case '23': {
			return 'IntegrityError';
		}

		case '42':
		case '3D':
		case '3F': {
			return 'ProgrammingError';
		}

		case '22': {
			return 'DataError';
		}

		case '0A': {
			return 'NotSupportedError';
		}

		case 'P0':
		case 'XX':
		case '25':
		case '2D': {
			return 'InternalError';
		}

		default: {
			return 'OperationalError';
		}
	}
}

/** The fields of a PostgreSQL error that node-pg exposes (absent on connection failures). */
export type DatabaseErrorLike = {message: string; code?: string; detail?: string; hint?: string; where?: string};

/** The psycopg2 message: the error, then DETAIL, HINT and CONTEXT lines as libpq formats them. */
function messageLines(error: DatabaseErrorLike): string[] {
	return [
		error.message,
		...(error.detail ? [`DETAIL:  ${error.detail}`] : []),
		...(error.hint ? [`HINT:  ${error.hint}`] : []),
		...(error.where ? [`CONTEXT:  ${error.where}`] : []),
	];
}

export function databaseErrorTraceback(error: DatabaseErrorLike, frames: 'apply' | 'unapply'): string[] {
	const known = error.code === undefined ? undefined : conditions[error.code];
	const psycopgClass = known ? `psycopg2.errors.${known.psycopg}` : `psycopg2.${djangoClass(error.code)}`;
	const [first = '', ...rest] = messageLines(error);
	const method = frames === 'apply' ? ['apply_migration', 'state = migration.apply(state, schema_editor)'] : ['unapply_migration', 'state = migration.unapply(state, schema_editor)'];
	return [
		'Traceback (most recent call last):',
		`  File "${site}/db/backends/utils.py", line 84, in _execute`,
		'    return self.cursor.execute(sql, params)',
		`${psycopgClass}: ${first}`,
		...rest,
		'',
		'',
		'The above exception was the direct cause of the following exception:',
		'',
		'Traceback (most recent call last):',
		'  File "/home/notechondria/manage.py", line 22, in <module>',
		'    main()',
		`  File "${site}/core/management/commands/migrate.py", line 244, in handle`,
		'    post_migrate_state = executor.migrate(',
		`  File "${site}/db/migrations/executor.py", line ${frames === 'apply' ? 227 : 252}, in ${method[0]}`,
		`    ${method[1]}`,
		`  File "${site}/db/backends/utils.py", line 84, in _execute`,
		'    return self.cursor.execute(sql, params)',
		`django.db.utils.${djangoClass(error.code)}: ${first}`,
		...rest,
		...(error.code === undefined ? [] : [`sandbox: the database refused it with SQLSTATE ${error.code}${known ? ` (${known.name})` : ''}`]),
	];
}

/** Django's IrreversibleError, as unapplying a RunPython without reverse_code raises it. */
export function irreversibleTraceback(label: string, functionName: string): string[] {
	return [
		'Traceback (most recent call last):',
		'  File "/home/notechondria/manage.py", line 22, in <module>',
		'    main()',
		`  File "${site}/db/migrations/executor.py", line 252, in unapply_migration`,
		'    state = migration.unapply(state, schema_editor)',
		`  File "${site}/db/migrations/migration.py", line 149, in unapply`,
		'    raise IrreversibleError("Operation %s in %s is not reversible" % (operation, self))',
		`django.db.migrations.exceptions.IrreversibleError: Operation <RunPython <function ${functionName} at 0x7f3a2c1e5d30>> in ${label} is not reversible`,
	];
}
