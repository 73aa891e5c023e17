// Endpoints outside the platform's API that steer the sandbox at run time: faults, forced failures,
// the log rate, dropped tails and request counts, for tests, benchmarks and demos. They need the same
// Bearer token as the API.
import {badRequest} from './api-error.js';
import {chaosSyntax} from './chaos.js';
import type {SandboxDurations} from './clock.js';
import type {FaultInjector} from './fault-injector.js';
import {checkLogRate, maxLogRate} from './logs/log-rates.js';
import type {SandboxPlatform} from './platform.js';
import type {RequestStats} from './request-stats.js';
import type {Route} from './router.js';
import {failureKinds, type FailureKind} from './state.js';
import {WheelhouseError} from '../core/errors.js';

export type ControlContext = {
	platform: SandboxPlatform;
	faults: FaultInjector;
	stats: RequestStats;
	rateLimit: {limit: number; windowSeconds: number};
	durations: SandboxDurations;
	tails: {dropAll(): number};
	/** The public keys let into Render services over SSH; `add` throws a WheelhouseError for a line that is not one. */
	renderSshKeys: {list(): readonly string[]; add(publicKey: string): void};
};

export type ControlHandler = (context: ControlContext, body: string) => {data: unknown};

const route = (method: string, pattern: string, handler: ControlHandler): Route<ControlHandler> => ({method, pattern, handler});

export const controlRoutes: ReadonlyArray<Route<ControlHandler>> = [
	route('GET', '/info', context => ({
		data: {
			sandbox: true,
			platform: 'northflank',
			teamId: context.platform.state.team.id,
			projects: context.platform.state.projects.map(project => project.id),
			chaos: context.faults.describe(),
			failNext: context.platform.state.failNext,
			rateLimit: context.rateLimit,
			durations: context.durations,
			logRate: context.platform.logRate(),
			database: context.platform.database ? {kind: context.platform.database.kind, where: context.platform.database.describe()} : {kind: 'simulated'},
		},
	})),
	route('GET', '/stats', context => ({data: context.stats.snapshot()})),
	route('DELETE', '/stats', context => {
		context.stats.reset();
		return {data: context.stats.snapshot()};
	}),
	route('GET', '/chaos', context => ({data: {spec: context.faults.describe()}})),
	route('POST', '/chaos', (context, body) => {
		try {
			context.faults.set(chaosSpecFrom(body));
		} catch (error) {
			if (error instanceof WheelhouseError) {
				throw badRequest(error.message, {accepted: chaosSyntax});
			}

			throw error;
		}

		return {data: {spec: context.faults.describe()}};
	}),
	route('POST', '/fail-next', (context, body) => {
		const {kind, count} = failNextRequest(body);
		return {data: {failNext: context.platform.failNext(kind, count)}};
	}),
	route('GET', '/log-rate', context => ({data: {linesPerSecond: context.platform.logRate(), maxLinesPerSecond: maxLogRate}})),
	route('POST', '/log-rate', (context, body) => {
		const {linesPerSecond} = parseObject(body.trim() === '' ? '{}' : body);
		return {data: {linesPerSecond: context.platform.setLogRate(checkLogRate(linesPerSecond)), maxLinesPerSecond: maxLogRate}};
	}),
	route('POST', '/drop-ws', context => ({data: {dropped: context.tails.dropAll()}})),
	route('GET', '/render/ssh-keys', context => ({data: {publicKeys: context.renderSshKeys.list()}})),
	route('POST', '/render/ssh-keys', (context, body) => {
		const {publicKey} = parseObject(body.trim() === '' ? '{}' : body);
		if (typeof publicKey !== 'string') {
			throw badRequest('Send {"publicKey": "ssh-ed25519 AAAA… you@laptop"} (the contents of a .pub file)');
		}

		try {
			context.renderSshKeys.add(publicKey);
		} catch (error) {
			if (error instanceof WheelhouseError) {
				throw badRequest(error.message);
			}

			throw error;
		}

		return {data: {publicKeys: context.renderSshKeys.list()}};
	}),
];

/** Accepts `{"spec": "..."}` or the bare spec as text. */
function chaosSpecFrom(body: string): string {
	const trimmed = body.trim();
	if (!trimmed.startsWith('{')) {
		return trimmed;
	}

	const parsed = parseObject(trimmed);
	if (typeof parsed.spec !== 'string') {
		throw badRequest('Send {"spec": "<chaos spec>"} or the spec as plain text', {accepted: chaosSyntax});
	}

	return parsed.spec;
}

function failNextRequest(body: string): {kind: FailureKind; count: number} {
	const usage = `Send {"kind": "${failureKinds.join('" | "')}", "count"?: n}`;
	const parsed = parseObject(body.trim() === '' ? '{}' : body);
	const {kind, count = 1} = parsed;
	if (typeof kind !== 'string' || !(failureKinds as readonly string[]).includes(kind)) {
		throw badRequest(`Unknown failure kind ${JSON.stringify(kind)}. ${usage}`);
	}

	if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
		throw badRequest(`"count" must be a positive integer. ${usage}`);
	}

	return {kind: kind as FailureKind, count};
}

function parseObject(text: string): Record<string, unknown> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw badRequest('Request body is not valid JSON');
	}

	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw badRequest('Request body must be a JSON object');
	}

	return parsed as Record<string, unknown>;
}
