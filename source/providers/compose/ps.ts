// `docker compose ps --format json` and `images --format json` as the console's types. Compose v2.21+
// prints one JSON object a line; earlier v2 releases print one JSON array: both are read.
import {ProviderError} from '../../core/errors.js';
import type {Addon, AddonStatus, Container, ContainerStatus, DeploymentStatus, Service} from '../../core/types.js';

export type WirePublisher = {URL?: string; TargetPort: number; PublishedPort: number; Protocol?: string};

export type WirePsEntry = {
	Name: string;
	Service: string;
	/** created | running | restarting | paused | exited | removing | dead */
	State: string;
	/** '' (no healthcheck) | starting | healthy | unhealthy */
	Health?: string;
	/** "Up 5 minutes (healthy)", "Exited (1) 2 minutes ago" */
	Status?: string;
	Image?: string;
	ExitCode?: number;
	CreatedAt?: string;
	Project?: string;
	Publishers?: WirePublisher[] | null;
};

export type WireImage = {ID?: string; ContainerName: string; Repository: string; Tag: string; Created?: string; LastTagTime?: string};

export function parseJsonLines<T>(text: string, what: string): T[] {
	const trimmed = text.trim();
	if (!trimmed) {
		return [];
	}

	try {
		if (trimmed.startsWith('[')) {
			return JSON.parse(trimmed) as T[];
		}

		return trimmed.split('\n').filter(line => line.trim()).map(line => JSON.parse(line) as T);
	} catch (error) {
		throw new ProviderError('protocol', `The host's ${what} is not the JSON Compose v2 prints: ${(error as Error).message}`, {hint: 'Check `docker compose version` on the host: wheelhouse needs Compose v2.'});
	}
}

export function containerStatus(entry: WirePsEntry): ContainerStatus {
	switch (entry.State) {
		case 'running': {
			if (entry.Health === 'starting') {
				return 'starting';
			}

			return entry.Health === 'unhealthy' ? 'failed' : 'running';
		}

		case 'created':
		case 'restarting': {
			return 'starting';
		}

		case 'removing': {
			return 'stopping';
		}

		case 'paused': {
			return 'stopped';
		}

		case 'exited': {
			return (entry.ExitCode ?? 0) === 0 ? 'stopped' : 'failed';
		}

		case 'dead': {
			return 'failed';
		}

		default: {
			return 'unknown';
		}
	}
}

export function toContainer(entry: WirePsEntry): Container {
	const created = entry.CreatedAt ? new Date(entry.CreatedAt.replace(/ ([+-]\d{2})(\d{2}) \w+$/, '$1:$2').replace(' ', 'T')) : undefined;
	return {
		name: entry.Name,
		status: containerStatus(entry),
		rawStatus: entry.Status ?? entry.State,
		...(created && !Number.isNaN(created.getTime()) ? {createdAt: created} : {}),
	};
}

/** The tag of an image reference: `app:v2` → v2, `registry:5000/app` → latest, `app@sha256:…` → the digest. */
export function imageTag(image: string | undefined): string | undefined {
	if (!image) {
		return undefined;
	}

	const digest = image.indexOf('@');
	if (digest !== -1) {
		return image.slice(digest + 1);
	}

	const name = image.slice(image.lastIndexOf('/') + 1);
	return name.includes(':') ? name.slice(name.indexOf(':') + 1) : 'latest';
}

/** How a service's rollout stands, from its containers: starting → in progress, any failed → failed. */
function deploymentOf(entries: WirePsEntry[]): {status: DeploymentStatus; rawStatus: string} {
	if (entries.length === 0) {
		return {status: 'completed', rawStatus: 'no containers'};
	}

	const statuses = entries.map(entry => containerStatus(entry));
	const raw = entries.map(entry => entry.Status ?? entry.State).join(', ');
	if (statuses.includes('failed')) {
		return {status: 'failed', rawStatus: raw};
	}

	if (statuses.includes('starting') || statuses.includes('stopping')) {
		return {status: 'in-progress', rawStatus: raw};
	}

	return {status: 'completed', rawStatus: raw};
}

export function toService(name: string, entries: WirePsEntry[], options: {appService: string; healthPath?: string}): Service {
	const running = entries.filter(entry => entry.State === 'running');
	const image = running[0]?.Image ?? entries[0]?.Image;
	const ports = entries.flatMap(entry => entry.Publishers ?? []).filter((publisher, index, all) => all.findIndex(other => other.TargetPort === publisher.TargetPort && other.PublishedPort === publisher.PublishedPort) === index);
	return {
		id: name,
		name,
		kind: name === options.appService ? 'app' : 'service',
		deployment: deploymentOf(entries),
		paused: entries.length > 0 && entries.every(entry => entry.State === 'paused'),
		instances: entries.length,
		...(image ? {deployedBuildId: imageTag(image)} : {}),
		ports: ports.map(publisher => ({name: `${publisher.TargetPort}/${publisher.Protocol ?? 'tcp'}`, port: publisher.PublishedPort || publisher.TargetPort, protocol: (publisher.Protocol ?? 'tcp').toUpperCase(), public: publisher.PublishedPort > 0})),
		...(options.healthPath && name === options.appService ? {healthPath: options.healthPath} : {}),
	};
}

export function toAddon(name: string, entries: WirePsEntry[], declaredImage: string | undefined): Addon {
	const entry = entries.find(candidate => candidate.State === 'running') ?? entries[0];
	let status: AddonStatus = 'failed';
	if (entry) {
		const container = containerStatus(entry);
		status = container === 'running' ? 'running' : (container === 'starting' ? 'busy' : (container === 'stopped' ? 'paused' : 'failed'));
	}

	const version = imageTag(entry?.Image ?? declaredImage);
	return {
		id: name,
		name,
		type: 'postgresql',
		...(version ? {version} : {}),
		status,
		rawStatus: entry ? entry.Status ?? entry.State : 'no container',
		replicas: entries.length,
	};
}
