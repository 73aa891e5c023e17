// How a config file written by an older wheelhouse is read today. Migrations run in memory on every
// read; the file itself is only rewritten (in the current version) when something is saved.

/** The version this wheelhouse writes. */
export const currentConfigVersion = 2;

type Document = Record<string, unknown>;

/** Each entry turns a document of version N-1 into version N. */
const migrations: Record<number, (document: Document) => Document> = {
	/**
	 * Version 1 read a Northflank context's token from NORTHFLANK_TOKEN when it named no variable.
	 * Version 2 can also keep the token in secrets.json (`tokenSecret`), so the old default is written
	 * out: the context keeps reading the variable it always read.
	 */
	2(document) {
		const contexts = isRecord(document.contexts) ? document.contexts : undefined;
		if (!contexts) {
			return {...document, version: 2};
		}

		const migrated = Object.fromEntries(Object.entries(contexts).map(([name, context]) => {
			if (isRecord(context) && context.platform === 'northflank' && context.tokenEnv === undefined && context.tokenSecret === undefined) {
				return [name, {...context, tokenEnv: 'NORTHFLANK_TOKEN'}];
			}

			return [name, context];
		}));
		return {...document, version: 2, contexts: migrated};
	},
};

export type Migrated = {document: Document; from: number};

/**
 * Brings a parsed config document up to the current version. The version a file was written in is
 * its `version` key, or 1 when it has none (files from before versioning). Returns undefined for
 * `from` problems the caller reports (not a whole number, newer than this wheelhouse).
 */
export function migrateConfig(document: Document): Migrated {
	const from = document.version === undefined ? 1 : document.version as number;
	let migrated = document;
	for (let version = from + 1; version <= currentConfigVersion; version++) {
		migrated = migrations[version]!(migrated);
	}

	return {document: migrated, from};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
