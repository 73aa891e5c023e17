import {STATUS_CODES, type IncomingMessage, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import {ApiError, badRequest} from './api-error.js';

const maxBodyBytes = 1024 * 1024;

export async function readText(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > maxBodyBytes) {
			throw new ApiError(413, `Request body larger than ${maxBodyBytes} bytes`);
		}

		chunks.push(chunk as Buffer);
	}

	return Buffer.concat(chunks).toString('utf8');
}

/** The JSON body, or undefined when there is none (the official client sends no body for "no data"). */
export function parseJsonBody(text: string): unknown {
	if (text.trim() === '') {
		return undefined;
	}

	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw badRequest('Request body is not valid JSON');
	}
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		...headers,
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
	});
	response.end(text);
}

export function errorBody(error: ApiError): {error: {message: string; details?: unknown}} {
	return {error: {message: error.message, ...(error.details === undefined ? {} : {details: error.details})}};
}

export function bearerToken(request: IncomingMessage): string | undefined {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
	return match?.[1];
}

/** Answers a WebSocket upgrade that cannot be accepted with a plain HTTP error and the error envelope. */
export function refuseUpgrade(socket: Duplex, error: ApiError): void {
	const body = JSON.stringify(errorBody(error));
	socket.end([
		`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
		'Content-Type: application/json; charset=utf-8',
		`Content-Length: ${Buffer.byteLength(body)}`,
		'Connection: close',
		'',
		body,
	].join('\r\n'));
}
