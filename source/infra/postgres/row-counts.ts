// Exact row counts of user tables: what a scratch restore is compared against.
import type pg from 'pg';

/** Tables in public are named bare ("notes_note"), others schema-qualified ("audit.events"). */
export type TableName = string;

const defaultLargest = 20;

/**
 * count(*) of the given tables (missing ones are left out of the result), or, without a list, of
 * every user table — or of the `largest` biggest ones (by pg_class.reltuples, then size on disk, which
 * is all a freshly restored database knows) when there are more.
 */
export async function rowCounts(client: pg.Client, tables?: readonly TableName[], options: {largest?: number} = {}): Promise<Record<TableName, number>> {
	const targets = tables ? await existingTables(client, tables) : await largestTables(client, options.largest ?? defaultLargest);
	if (targets.length === 0) {
		return {};
	}

	const select = targets.map((target, index) => `SELECT $${index + 1}::text AS name, count(*)::text AS rows FROM ${client.escapeIdentifier(target.schema)}.${client.escapeIdentifier(target.table)}`).join(' UNION ALL ');
	const {rows} = await client.query<{name: string; rows: string}>(select, targets.map(target => target.name));
	return Object.fromEntries(rows.map(row => [row.name, Number(row.rows)]));
}

type Target = {name: TableName; schema: string; table: string};

export function splitTableName(name: TableName): {schema: string; table: string} {
	const dot = name.indexOf('.');
	return dot === -1 ? {schema: 'public', table: name} : {schema: name.slice(0, dot), table: name.slice(dot + 1)};
}

async function existingTables(client: pg.Client, tables: readonly TableName[]): Promise<Target[]> {
	const wanted = tables.map(name => ({name, ...splitTableName(name)}));
	const {rows} = await client.query<{nspname: string; relname: string}>(
		`SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
		[wanted.map(target => target.schema), wanted.map(target => target.table)],
	);
	const present = new Set(rows.map(row => `${row.nspname}.${row.relname}`));
	return wanted.filter(target => present.has(`${target.schema}.${target.table}`));
}

async function largestTables(client: pg.Client, limit: number): Promise<Target[]> {
	const {rows} = await client.query<{nspname: string; relname: string}>(
		`SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
			AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
		ORDER BY greatest(c.reltuples, 0) DESC, pg_total_relation_size(c.oid) DESC, n.nspname, c.relname
		LIMIT $1`,
		[limit],
	);
	return rows.map(row => ({name: row.nspname === 'public' ? row.relname : `${row.nspname}.${row.relname}`, schema: row.nspname, table: row.relname}));
}
