// Render's `GET /logs` over the sandbox's log generator: `resource` ids (services, one-off jobs,
// postgres) become the same containers the Northflank face reads, each line a Render log entry
// `{id, message, timestamp, labels}` whose `id` is stable, so a client can de-duplicate by it.
import {detectTextLevel} from '../../core/log-entry.js';
import {ApiError, badRequest} from '../api-error.js';
import type {LogRecord} from '../logs/container-log.js';
import {logRoutes, openLogs} from '../logs/log-routes.js';
import type {LogFilters} from '../logs/log-query.js';
import {atMs, compareLogTimes, earliest, formatLogTime, isBefore, nextNanosecond, parseLogTime, type LogTime} from '../logs/log-time.js';
import {mergeRecords} from '../logs/merge.js';
import type {LogReader} from '../logs/recorded-log.js';
import type {SandboxPlatform} from '../platform.js';
import {readLimit} from './pagination.js';
import {renderIds} from './render-ids.js';

export type RenderLogEntry = {id: string; message: string; timestamp: string; labels: Array<{name: string; value: string}>};

/** What a resource id names: its log readers, labelled. */
export type LogSource = {resource: string; open(fromMs: number, toMs: number): LogReader[]; instanceOf(containerId: string): string};

export type LogSelection = {sources: LogSource[]; matches(entry: RenderLogEntry): boolean};

const selector = (pattern: string) => logRoutes.find(route => route.pattern === pattern)!.handler;
const serviceLogs = selector('/projects/:projectId/services/:serviceId/logs');
const buildLogs = selector('/projects/:projectId/services/:serviceId/build-logs');
const jobLogs = selector('/projects/:projectId/jobs/:jobId/logs');
const addonLogs = selector('/projects/:projectId/addons/:addonId/logs');

const unsupportedFilters = ['host', 'statusCode', 'method', 'path', 'task', 'taskRun'];

/** The `resource`, `instance`, `type`, `level` and `text` parameters of `/logs` and `/logs/subscribe`. */
export function selectLogs(platform: SandboxPlatform, query: URLSearchParams): LogSelection {
	const ownerId = query.get('ownerId');
	if (ownerId === null || ownerId === '') {
		throw badRequest('ownerId is required: the workspace id from GET /v1/owners');
	}

	if (ownerId !== renderIds.owner(platform.state.team.id)) {
		throw new ApiError(404, `owner ${ownerId} not found`);
	}

	const resources = listParameter(query, 'resource');
	if (resources.length === 0) {
		throw badRequest('resource is required: one or more service, job or postgres ids');
	}

	for (const name of unsupportedFilters) {
		if (listParameter(query, name).length > 0) {
			throw badRequest(`the sandbox does not filter logs by ${name}; filter by resource, instance, type, level or text`);
		}
	}

	const sources = resources.map(resource => sourceOf(platform, resource));
	const instances = new Set(listParameter(query, 'instance'));
	const types = new Set(listParameter(query, 'type'));
	const levels = new Set(listParameter(query, 'level'));
	const texts = listParameter(query, 'text');
	const label = (entry: RenderLogEntry, name: string) => entry.labels.find(candidate => candidate.name === name)?.value ?? '';
	return {
		sources,
		matches: entry => (instances.size === 0 || instances.has(label(entry, 'instance')))
			&& (types.size === 0 || types.has(label(entry, 'type')))
			&& (levels.size === 0 || levels.has(label(entry, 'level')))
			&& (texts.length === 0 || texts.some(text => entry.message.includes(text))),
	};
}

/** Repeated keys (`resource=a&resource=b`, as Render's CLI sends them) or a comma-separated list. */
function listParameter(query: URLSearchParams, name: string): string[] {
	return query.getAll(name).flatMap(value => value.split(',')).map(value => value.trim()).filter(value => value !== '');
}

function sourceOf(platform: SandboxPlatform, resource: string): LogSource {
	const filters: LogFilters = {};
	for (const project of platform.state.projects) {
		for (const service of project.services) {
			if (renderIds.service(service.id) === resource) {
				const params = {projectId: project.id, serviceId: service.id};
				const instances = new Map(service.containers.map(container => [container.name, renderIds.instance(service.id, container.name)]));
				return {
					resource,
					open: (fromMs, toMs) => [
						...openLogs(serviceLogs, {platform, params, filters}, fromMs, toMs),
						...openLogs(buildLogs, {platform, params, filters}, fromMs, toMs),
						// A deploy's pre-deploy command logs under the service, as on Render.
						...project.jobs.filter(job => job.source.serviceId === service.id).flatMap(job => job.runs
							.filter(run => run.environment.RENDER_PRE_DEPLOY === 'true')
							.flatMap(run => openLogs(jobLogs, {platform, params: {projectId: project.id, jobId: job.id}, filters: {runId: run.id}}, fromMs, toMs))),
					],
					instanceOf: containerId => instances.get(containerId) ?? containerId,
				};
			}
		}

		for (const job of project.jobs) {
			const run = job.runs.find(candidate => renderIds.job(candidate.id) === resource);
			if (run) {
				const params = {projectId: project.id, jobId: job.id};
				return {resource, open: (fromMs, toMs) => openLogs(jobLogs, {platform, params, filters: {runId: run.id}}, fromMs, toMs), instanceOf: () => resource};
			}
		}

		for (const addon of project.addons) {
			if (renderIds.postgres(addon.id) === resource) {
				const params = {projectId: project.id, addonId: addon.id};
				return {resource, open: (fromMs, toMs) => openLogs(addonLogs, {platform, params, filters}, fromMs, toMs), instanceOf: containerId => containerId};
			}
		}
	}

	throw new ApiError(404, `resource ${resource} not found`);
}

export function toRenderEntry(source: LogSource, record: LogRecord, type: string): RenderLogEntry {
	const level = detectTextLevel(record.text);
	return {
		id: `${record.containerId}.${record.seq}`,
		message: record.text,
		timestamp: formatLogTime(record.time),
		labels: [
			{name: 'resource', value: source.resource},
			{name: 'instance', value: source.instanceOf(record.containerId)},
			{name: 'type', value: type},
			{name: 'level', value: level === 'warn' ? 'warning' : level ?? 'info'},
		],
	};
}

/** Records of every selected source in [from, to), merged in time order, each with its source. */
export function* readSelection(selection: LogSelection, from: LogTime, to: LogTime, direction: 'forward' | 'backward'): Generator<{record: LogRecord; entry: RenderLogEntry}> {
	const readers = selection.sources.flatMap(source => source.open(from.ms, to.ms + 1).map(reader => ({source, reader})));
	const bySource = new Map(readers.map(({source, reader}) => [reader.id, {source, type: reader.type === 'build' ? 'build' : 'app'}]));
	const records = mergeRecords(readers.map(({reader}) => direction === 'forward' ? reader.forward(from, to) : reader.backward(from, to)), direction);
	for (const record of records) {
		const origin = bySource.get(record.containerId);
		if (origin) {
			yield {record, entry: toRenderEntry(origin.source, record, origin.type)};
		}
	}
}

const hourMs = 60 * 60 * 1000;

/** One page of `GET /logs`: paged by time; the next page's window is `nextStartTime`–`nextEndTime`. */
export function logsPage(platform: SandboxPlatform, query: URLSearchParams) {
	const now = atMs(platform.now());
	const selection = selectLogs(platform, query);
	const end = earliest(optionalTime(query, 'endTime') ?? now, now);
	const start = optionalTime(query, 'startTime') ?? atMs(end.ms - hourMs);
	const direction = query.get('direction') ?? 'backward';
	if (direction !== 'forward' && direction !== 'backward') {
		throw badRequest(`direction must be forward or backward, got "${direction}"`);
	}

	const limit = readLimit(query);
	const logs: RenderLogEntry[] = [];
	let last: LogTime | undefined;
	let hasMore = false;
	if (isBefore(start, end)) {
		for (const {record, entry} of readSelection(selection, start, end, direction)) {
			// Lines sharing a timestamp stay on one page, so the next window neither loses nor repeats one.
			if (last && logs.length >= limit && compareLogTimes(record.time, last) !== 0) {
				hasMore = true;
				break;
			}

			last = record.time;
			if (selection.matches(entry)) {
				logs.push(entry);
			}
		}
	}

	// startTime is inclusive and endTime exclusive.
	const next = !hasMore || !last
		? {start, end}
		: (direction === 'forward' ? {start: nextNanosecond(last), end} : {start, end: last});
	return {hasMore, nextStartTime: formatLogTime(next.start), nextEndTime: formatLogTime(next.end), logs};
}

export function optionalTime(query: URLSearchParams, name: string): LogTime | undefined {
	const text = query.get(name);
	if (text === null || text === '') {
		return undefined;
	}

	const time = parseLogTime(text);
	if (!time) {
		throw badRequest(`${name} must be an RFC 3339 time such as 2026-11-22T03:12:40.123456789Z, got "${text}"`);
	}

	return time;
}
