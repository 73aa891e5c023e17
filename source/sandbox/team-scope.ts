import {ApiError} from './api-error.js';

/** `/teams/{teamId}/projects/...` is the same resource as `/projects/...` for the sandbox's one team. */
export function withoutTeamScope(teamId: string, path: string): string {
	const match = /^\/teams\/([^/]+)(\/.*)?$/.exec(path);
	if (!match) {
		return path;
	}

	const scoped = decodeURIComponent(match[1]!);
	if (scoped !== teamId) {
		throw new ApiError(404, `Team "${scoped}" not found`);
	}

	return match[2] ?? '/';
}
