// The sandbox's endpoints that need no token, like their counterparts on a platform: backup downloads
// behind a temporary link (a presigned URL) and services' public URLs.
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {pipeline} from 'node:stream/promises';
import {ApiError} from '../api-error.js';
import {errorBody, sendJson} from '../http-io.js';
import type {SandboxPlatform} from '../platform.js';
import {answerServiceRequest, healthPathPrefix} from './health-endpoint.js';

const downloadPrefix = '/_sandbox/downloads/';

export function isPublicSandboxPath(pathname: string): boolean {
	return pathname.startsWith(downloadPrefix) || pathname.startsWith(healthPathPrefix);
}

export async function handlePublicRequest(platform: SandboxPlatform, request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
	try {
		const method = request.method ?? 'GET';
		if (method !== 'GET' && method !== 'HEAD') {
			throw new ApiError(405, `${method} is not supported on ${pathname}; use GET`, undefined, {allow: 'GET, HEAD'});
		}

		if (pathname.startsWith(downloadPrefix)) {
			await sendDownload(platform, request, response, pathname.slice(downloadPrefix.length));
			return;
		}

		const answer = await answerServiceRequest(platform, pathname);
		sendJson(response, answer.status, answer.body);
	} catch (error) {
		if (response.headersSent) {
			response.destroy();
			return;
		}

		const apiError = error instanceof ApiError ? error : new ApiError(500, `Internal sandbox error: ${(error as Error).message}`);
		sendJson(response, apiError.status, errorBody(apiError), apiError.headers);
	}
}

async function sendDownload(platform: SandboxPlatform, request: IncomingMessage, response: ServerResponse, token: string): Promise<void> {
	const lookup = platform.dataPlane?.downloads.lookup(token) ?? {kind: 'unknown' as const};
	if (lookup.kind === 'unknown') {
		throw new ApiError(404, 'No download at this link; ask the API for a new one (GET .../backups/{backupId}/download-link)');
	}

	if (lookup.kind === 'expired') {
		throw new ApiError(403, `This download link expired at ${new Date(lookup.expiresAt).toISOString()}; ask the API for a new one (GET .../backups/{backupId}/download-link)`);
	}

	const {file, fileName} = lookup.grant;
	const size = await stat(file).then(stats => stats.size, () => undefined);
	if (size === undefined) {
		throw new ApiError(404, `The archive ${fileName} is gone from the sandbox`);
	}

	response.writeHead(200, {
		'content-type': 'application/octet-stream',
		'content-length': String(size),
		'content-disposition': `attachment; filename="${fileName}"`,
	});
	if (request.method === 'HEAD') {
		response.end();
		return;
	}

	await pipeline(createReadStream(file), response);
}
