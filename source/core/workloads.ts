import {UsageError} from './errors.js';
import type {Provider} from './provider.js';

/** A service, job or addon: what logs and exec are attached to. */
export type Workload = {kind: 'service' | 'job' | 'addon'; id: string; name: string};

/** Finds the service, job or addon a user named (by name or id), for `wheelhouse logs|exec TARGET`. */
export async function resolveWorkload(provider: Provider, wanted: string): Promise<Workload> {
	const [services, jobs, addons] = await Promise.all([provider.listServices(), provider.listJobs(), provider.listAddons()]);
	const candidates: Workload[] = [
		...services.map(service => ({kind: 'service' as const, id: service.id, name: service.name})),
		...jobs.map(job => ({kind: 'job' as const, id: job.id, name: job.name})),
		...addons.map(addon => ({kind: 'addon' as const, id: addon.id, name: addon.name})),
	];
	const matches = candidates.filter(candidate => candidate.name === wanted || candidate.id === wanted);
	if (matches.length === 1) {
		return matches[0]!;
	}

	if (matches.length > 1) {
		throw new UsageError(`"${wanted}" names more than one thing: ${matches.map(match => `${match.kind} ${match.id}`).join(', ')}.`, 'Give the id instead of the name.');
	}

	const known = candidates.map(candidate => candidate.name).join(', ') || 'none';
	throw new UsageError(`No service, job or addon named "${wanted}".`, `Known: ${known}.`);
}
