import {badRequest} from '../api-error.js';

export const defaultPerPage = 50;
export const maxPerPage = 100;

export type Pagination = {hasNextPage: boolean; cursor?: string; count: number};

/**
 * One page of `items` per Northflank's rules: `per_page` (≤ 100), then `cursor` from the previous
 * page, or a 1-based `page`. The cursor names the last item returned rather than an offset, so items
 * added at the top of a newest-first list while a client walks it are neither repeated nor skipped.
 */
export function paginate<T>(items: readonly T[], query: URLSearchParams, keyOf: (item: T) => string): {items: T[]; pagination: Pagination} {
	const perPage = readPerPage(query.get('per_page'));
	const cursor = query.get('cursor');
	const page = query.get('page');
	let start = 0;
	if (cursor !== null && cursor !== '') {
		const afterId = decodeCursor(cursor);
		const index = items.findIndex(item => keyOf(item) === afterId);
		if (index === -1) {
			throw badRequest('Invalid or expired cursor: request the first page again without "cursor"', {cursor});
		}

		start = index + 1;
	} else if (page !== null && page !== '') {
		start = (readPositiveInteger('page', page) - 1) * perPage;
	}

	const slice = items.slice(start, start + perPage);
	const last = slice.at(-1);
	const hasNextPage = start + perPage < items.length && last !== undefined;
	return {
		items: slice,
		pagination: hasNextPage ? {hasNextPage, cursor: encodeCursor(keyOf(last)), count: slice.length} : {hasNextPage, count: slice.length},
	};
}

function readPerPage(value: string | null): number {
	if (value === null || value === '') {
		return defaultPerPage;
	}

	const perPage = readPositiveInteger('per_page', value);
	if (perPage > maxPerPage) {
		throw badRequest(`"per_page" must be at most ${maxPerPage}, got ${perPage}`, {per_page: value});
	}

	return perPage;
}

function readPositiveInteger(name: string, value: string): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw badRequest(`"${name}" must be a positive integer, got "${value}"`, {[name]: value});
	}

	return number;
}

// base64url, because the official client puts option values into the query string unencoded.
function encodeCursor(afterId: string): string {
	return Buffer.from(JSON.stringify({after: afterId})).toString('base64url');
}

function decodeCursor(cursor: string): string | undefined {
	try {
		const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		return typeof decoded === 'object' && decoded !== null && 'after' in decoded && typeof decoded.after === 'string' ? decoded.after : undefined;
	} catch {
		return undefined;
	}
}
