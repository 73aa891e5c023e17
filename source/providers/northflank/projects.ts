// The projects a token can see, before any project is chosen (setup's project step). It doubles as
// the token check: a rejected token is a ProviderError of kind 'auth'.
import type {Project} from '../../core/types.js';
import {createHttpClient} from '../../infra/http.js';
import {mapProject} from './map.js';
import {northflankApiUrl} from './provider.js';
import type {Envelope, WireProject} from './wire.js';

export type ProjectListOptions = {
	/** API base without /v1; Northflank's own when absent. */
	baseUrl?: string;
	token: string;
	/** Team id, for org-scoped tokens. */
	team?: string;
	platformName?: string;
	timeoutMs?: number;
};

const maximumPages = 20;

export async function listProjects(options: ProjectListOptions): Promise<Project[]> {
	const baseUrl = options.baseUrl ?? northflankApiUrl;
	const http = createHttpClient({
		baseUrl: `${baseUrl.replace(/\/$/, '')}/v1/`,
		token: options.token,
		platformName: options.platformName ?? 'Northflank',
		displayUrl: baseUrl,
		timeoutMs: options.timeoutMs,
		retries: 1,
	});
	const path = options.team ? `teams/${encodeURIComponent(options.team)}/projects` : 'projects';
	const projects: Project[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < maximumPages; page++) {
		const response = await http.get<Envelope<{projects?: WireProject[]}>>(path, {per_page: 100, cursor});
		projects.push(...(response.data.projects ?? []).map(project => mapProject(project)));
		cursor = response.pagination?.hasNextPage === false ? undefined : response.pagination?.cursor;
		if (!cursor) {
			break;
		}
	}

	return projects;
}
