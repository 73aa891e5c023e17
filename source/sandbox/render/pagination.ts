import {badRequest} from '../api-error.js';

export const defaultLimit = 20;
export const maxLimit = 100;

/**
 * Render's list pages: `[{<key>: item, cursor}]`, `limit` 1–100 (default 20); the next page starts after
 * the item whose `cursor` is passed. The cursor names the item, not an offset, so items added at the top
 * of a newest-first list while a client walks it are neither repeated nor skipped.
 */
export function renderPage<T>(key: string, items: readonly T[], query: URLSearchParams, keyOf: (item: T) => string): Array<Record<string, unknown>> {
	const limit = readLimit(query);
	const cursor = query.get('cursor');
	let start = 0;
	if (cursor !== null && cursor !== '') {
		const index = items.findIndex(item => encodeCursor(keyOf(item)) === cursor);
		if (index === -1) {
			throw badRequest('invalid cursor: request the first page again without "cursor"');
		}

		start = index + 1;
	}

	return items.slice(start, start + limit).map(item => ({[key]: item, cursor: encodeCursor(keyOf(item))}));
}

export function readLimit(query: URLSearchParams, fallback = defaultLimit): number {
	const text = query.get('limit');
	if (text === null || text === '') {
		return fallback;
	}

	const limit = Number(text);
	if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
		throw badRequest(`limit must be an integer from 1 to ${maxLimit}, got "${text}"`);
	}

	return limit;
}

function encodeCursor(key: string): string {
	return Buffer.from(key).toString('base64url');
}
