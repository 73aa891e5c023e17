// The query string of Northflank's log endpoints (reference §3), checked the way the API checks a
// body: anything wrong is a 400 naming the parameter.
import {badRequest} from '../api-error.js';
import type {LogType} from './container-log.js';
import {atMs, parseLogTime, type LogTime} from './log-time.js';

const defaultWindowSeconds = 1800;
export const defaultLineLimit = 1000;
export const maxLineLimit = 10_000;
export const defaultTailBacklog = 10;

const documentedTypes = ['cdn', 'mesh', 'ingress', 'runtime', 'build', 'backup', 'restore'] as const;
const textFilters = ['textIncludes', 'textNotIncludes', 'regexIncludes', 'regexNotIncludes'] as const;

/** What both the range query and the tail filter on. */
export type LogFilters = {
	containerName?: string;
	runId?: string;
	buildId?: string;
	/** Undefined: every type. */
	types?: ReadonlySet<string>;
	/** Undefined: every line. */
	matches?: (text: string) => boolean;
};

export type RangeQuery = LogFilters & {from: LogTime; to: LogTime; direction: 'forward' | 'backward'; lineLimit: number};

export type TailQuery = LogFilters & {startTime?: LogTime; lineLimit?: number};

export function parseRangeQuery(query: URLSearchParams, now: number): RangeQuery {
	const queryType = query.get('queryType') ?? 'range';
	if (queryType === 'tail') {
		throw badRequest('queryType=tail is a live tail: open this URL as a WebSocket (ws://...) instead of a GET', {queryType});
	}

	if (queryType !== 'range') {
		throw badRequest(`"queryType" must be "range" (or "tail" over a WebSocket), got "${queryType}"`, {queryType});
	}

	const direction = query.get('direction') ?? 'backward';
	if (direction !== 'forward' && direction !== 'backward') {
		throw badRequest(`"direction" must be "forward" or "backward", got "${direction}"`, {direction});
	}

	return {
		...parseFilters(query),
		...parseWindow(query, now),
		direction,
		lineLimit: Math.min(maxLineLimit, optionalPositiveInteger(query, 'lineLimit') ?? defaultLineLimit),
	};
}

export function parseTailQuery(query: URLSearchParams): TailQuery {
	const queryType = query.get('queryType');
	if (queryType !== 'tail') {
		throw badRequest(`A live tail needs "queryType=tail", got ${queryType === null ? 'none' : `"${queryType}"`}`, {queryType});
	}

	const startTime = optionalTime(query, 'startTime');
	const lineLimit = optionalPositiveInteger(query, 'lineLimit');
	return {
		...parseFilters(query),
		...(startTime ? {startTime} : {}),
		...(lineLimit === undefined ? {} : {lineLimit: Math.min(maxLineLimit, lineLimit)}),
	};
}

function parseWindow(query: URLSearchParams, now: number): {from: LogTime; to: LogTime} {
	const start = optionalTime(query, 'startTime');
	const end = optionalTime(query, 'endTime');
	const durationText = query.get('duration');
	let durationMs: number | undefined;
	if (durationText !== null && durationText !== '') {
		const seconds = Number(durationText);
		if (!Number.isFinite(seconds) || seconds <= 0) {
			throw badRequest(`"duration" must be a positive number of seconds, got "${durationText}"`, {duration: durationText});
		}

		durationMs = Math.round(seconds * 1000);
	}

	if (start && end && durationMs !== undefined) {
		throw badRequest('Set at most two of "startTime", "endTime" and "duration"', {startTime: query.get('startTime'), endTime: query.get('endTime'), duration: durationText});
	}

	const span = durationMs ?? defaultWindowSeconds * 1000;
	const to = end ?? (start && durationMs !== undefined ? {ms: start.ms + durationMs, ns: start.ns} : atMs(now));
	const from = start ?? {ms: to.ms - span, ns: to.ns};
	if (to.ms < from.ms || (to.ms === from.ms && to.ns < from.ns)) {
		throw badRequest('"startTime" must not be after "endTime"', {startTime: query.get('startTime'), endTime: query.get('endTime')});
	}

	return {from, to};
}

function parseFilters(query: URLSearchParams): LogFilters {
	const filters: LogFilters = {};
	const containerName = query.get('containerName');
	if (containerName !== null && containerName !== '' && containerName !== 'all') {
		filters.containerName = containerName;
	}

	for (const name of ['runId', 'buildId'] as const) {
		const value = query.get(name);
		if (value !== null && value !== '') {
			filters[name] = value;
		}
	}

	const types = query.getAll('type').filter(type => type !== '');
	for (const type of types) {
		if (!(documentedTypes as readonly string[]).includes(type)) {
			throw badRequest(`Unknown log "type" "${type}"; use ${documentedTypes.join(', ')}`, {type});
		}
	}

	if (types.length > 0) {
		filters.types = new Set(types);
	}

	const given = textFilters.filter(name => query.get(name) !== null && query.get(name) !== '');
	if (given.length > 1) {
		throw badRequest(`Use one text filter at a time, got ${given.join(' and ')}`, {filters: given});
	}

	const name = given[0];
	if (name !== undefined) {
		filters.matches = textMatcher(name, query.get(name)!);
	}

	return filters;
}

function textMatcher(name: typeof textFilters[number], value: string): (text: string) => boolean {
	if (name === 'textIncludes') {
		return text => text.includes(value);
	}

	if (name === 'textNotIncludes') {
		return text => !text.includes(value);
	}

	let pattern: RegExp;
	try {
		pattern = new RegExp(value);
	} catch (error) {
		throw badRequest(`"${name}" is not a valid regular expression: ${(error as Error).message}`, {[name]: value});
	}

	return name === 'regexIncludes' ? text => pattern.test(text) : text => !pattern.test(text);
}

function optionalTime(query: URLSearchParams, name: string): LogTime | undefined {
	const value = query.get(name);
	if (value === null || value === '') {
		return undefined;
	}

	const time = parseLogTime(value);
	if (!time) {
		throw badRequest(`"${name}" must be an RFC 3339 time such as 2026-11-22T03:12:40.123456789Z, got "${value}"`, {[name]: value});
	}

	return time;
}

function optionalPositiveInteger(query: URLSearchParams, name: string): number | undefined {
	const value = query.get(name);
	if (value === null || value === '') {
		return undefined;
	}

	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw badRequest(`"${name}" must be a positive integer, got "${value}"`, {[name]: value});
	}

	return number;
}

export function passesType(filters: LogFilters, type: LogType): boolean {
	return filters.types === undefined || filters.types.has(type);
}
