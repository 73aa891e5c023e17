// What an exec client says (reference §5): the init message first, then stdin, resizes and the end of
// stdin. js-client sends binary frames holding UTF-8 JSON; text frames are accepted as well.
import type {RawData} from 'ws';
import {badRequest} from '../api-error.js';

/** `init.data.context`: which container, what to run and how. */
export type ExecContext = {
	instanceName?: string;
	containerName?: string;
	command?: string | string[];
	shell?: string;
	/** Accepted and ignored: the sandbox's processes run as the user running the sandbox. */
	user?: string | number;
	group?: string | number;
	/** How output bytes become the strings of stdOut/stdErr frames (a Node Buffer encoding; utf8 by default). */
	encoding?: BufferEncoding;
	tty?: boolean;
	ttyColumns?: number;
	ttyRows?: number;
};

export type ClientFrame =
	| {type: 'init'; token: string | undefined; context: ExecContext}
	| {type: 'payload'; data: string}
	| {type: 'resize'; columns: number; rows: number}
	| {type: 'stdInEnd'};

export const initUsage = 'send {"type":"init","data":{"auth":{"type":"apiToken","apiToken":"<token>"},"context":{...}}} first';

const maxTerminalSide = 10_000;

/** Reads one client message; throws a 400 ApiError naming what is wrong. */
export function parseClientFrame(data: RawData): ClientFrame {
	let message: unknown;
	try {
		message = JSON.parse(bytesOf(data).toString('utf8'));
	} catch {
		throw badRequest('An exec message must be one JSON object per WebSocket message');
	}

	if (!isRecord(message) || typeof message.type !== 'string') {
		throw badRequest('An exec message must be a JSON object with a "type"');
	}

	switch (message.type) {
		case 'init': {
			return parseInit(message.data);
		}

		case 'payload': {
			if (typeof message.data !== 'string') {
				throw badRequest('"payload" carries stdin as a string in "data"');
			}

			return {type: 'payload', data: message.data};
		}

		case 'resize': {
			const size = isRecord(message.data) ? message.data : {};
			return {type: 'resize', columns: terminalSide(size.ttyColumns, 'ttyColumns'), rows: terminalSide(size.ttyRows, 'ttyRows')};
		}

		case 'stdInEnd': {
			return {type: 'stdInEnd'};
		}

		default: {
			throw badRequest(`Unknown exec message type "${message.type}": expected init, payload, resize or stdInEnd`);
		}
	}
}

function parseInit(data: unknown): ClientFrame {
	const body = isRecord(data) ? data : {};
	const auth = isRecord(body.auth) ? body.auth : {};
	const token = auth.type === 'apiToken' && typeof auth.apiToken === 'string' ? auth.apiToken : undefined;
	const raw = body.context === undefined ? {} : body.context;
	if (!isRecord(raw)) {
		throw badRequest('"context" in the init message must be an object');
	}

	const context: ExecContext = {
		instanceName: optional(raw, 'instanceName', 'string'),
		containerName: optional(raw, 'containerName', 'string'),
		command: command(raw.command),
		shell: optional(raw, 'shell', 'string'),
		user: optional(raw, 'user', 'string', 'number'),
		group: optional(raw, 'group', 'string', 'number'),
		encoding: encoding(raw.encoding),
		tty: optional(raw, 'tty', 'boolean'),
		ttyColumns: raw.ttyColumns === undefined ? undefined : terminalSide(raw.ttyColumns, 'ttyColumns'),
		ttyRows: raw.ttyRows === undefined ? undefined : terminalSide(raw.ttyRows, 'ttyRows'),
	};
	return {type: 'init', token, context};
}

function optional<T extends 'string' | 'number' | 'boolean'>(record: Record<string, unknown>, key: string, ...types: T[]) {
	const value = record[key];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (!types.includes(typeof value as T)) {
		throw badRequest(`"context.${key}" must be a ${types.join(' or ')}`);
	}

	return value as T extends 'string' ? string : T extends 'number' ? number : boolean;
}

function command(value: unknown): string | string[] | undefined {
	if (value === undefined || value === null) {
		return undefined;
	}

	if (typeof value === 'string' || (Array.isArray(value) && value.every(part => typeof part === 'string'))) {
		return value as string | string[];
	}

	throw badRequest('"context.command" must be a string or an array of strings');
}

function encoding(value: unknown): BufferEncoding | undefined {
	if (value === undefined || value === null) {
		return undefined;
	}

	if (typeof value !== 'string' || !Buffer.isEncoding(value)) {
		throw badRequest(`"context.encoding" must be a Node buffer encoding such as utf8 or base64, got ${JSON.stringify(value)}`);
	}

	return value;
}

function terminalSide(value: unknown, name: string): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxTerminalSide) {
		throw badRequest(`"${name}" must be a whole number from 1 to ${maxTerminalSide}`);
	}

	return value;
}

function bytesOf(data: RawData): Buffer {
	if (Buffer.isBuffer(data)) {
		return data;
	}

	return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
