// Request bodies of the mutating endpoints, checked the way the real API does: a wrong body is a
// 400 whose message names the field and what it should be.
import {badRequest} from '../api-error.js';
import type {BuildReference} from '../platform.js';
import type {DockerConfig} from '../state.js';

type Fields = Record<string, unknown>;

const dockerConfigTypes = ['default', 'customEntrypoint', 'customCommand', 'customEntrypointCustomCommand'] as const;

export function startBuildBody(body: unknown): {sha?: string; branch?: string} {
	const fields = object(body, 'body');
	if (fields.pullRequestId !== undefined) {
		throw badRequest('The sandbox builds branches only: leave out "pullRequestId"', {field: 'pullRequestId'});
	}

	return {sha: optionalString(fields, 'sha'), branch: optionalString(fields, 'branch')};
}

export function deploymentBody(body: unknown): {build: BuildReference; docker?: DockerConfig} {
	const fields = object(body, 'body');
	if (fields.external !== undefined) {
		throw badRequest('The sandbox deploys its own builds only: send "internal" rather than "external"', {field: 'external'});
	}

	if (fields.internal === undefined) {
		throw badRequest('"internal" is required: {"internal": {"id": <build service id>, "buildId"?, "buildSHA"?, "branch"?}}', {field: 'internal'});
	}

	return {build: buildReference(fields.internal, 'internal'), docker: dockerConfig(fields.docker, 'docker')};
}

export function backupBody(body: unknown): {name?: string; backupType?: 'dump' | 'snapshot'; compressionType?: 'gz' | 'zstd'} {
	const fields = object(body, 'body');
	return {
		name: optionalString(fields, 'name'),
		backupType: optionalEnum(fields, 'backupType', ['dump', 'snapshot'] as const),
		compressionType: optionalEnum(fields, 'compressionType', ['gz', 'zstd'] as const),
	};
}

export function jobRunBody(body: unknown): {build?: BuildReference; docker?: DockerConfig; environment?: Record<string, string>} {
	const fields = object(body, 'body');
	const deployment = fields.deployment === undefined ? {} : object(fields.deployment, 'deployment');
	if (deployment.external !== undefined) {
		throw badRequest('The sandbox runs its own builds only: send "deployment.internal" rather than "deployment.external"', {field: 'deployment.external'});
	}

	return {
		build: deployment.internal === undefined ? undefined : buildReference(deployment.internal, 'deployment.internal'),
		docker: dockerConfig(deployment.docker, 'deployment.docker'),
		environment: environment(fields.runtimeEnvironment, 'runtimeEnvironment'),
	};
}

function buildReference(value: unknown, path: string): BuildReference {
	const fields = object(value, path);
	const serviceId = fields.id;
	if (typeof serviceId !== 'string' || serviceId === '') {
		throw badRequest(`"${path}.id" is required: the id of the service that built the image`, {field: `${path}.id`});
	}

	return {
		serviceId,
		buildId: optionalString(fields, 'buildId', path),
		buildSHA: optionalString(fields, 'buildSHA', path),
		branch: optionalString(fields, 'branch', path),
	};
}

function dockerConfig(value: unknown, path: string): DockerConfig | undefined {
	if (value === undefined) {
		return undefined;
	}

	const fields = object(value, path);
	const configType = optionalEnum(fields, 'configType', dockerConfigTypes, path) ?? 'default';
	const customCommand = optionalString(fields, 'customCommand', path);
	const customEntrypoint = optionalString(fields, 'customEntrypoint', path);
	if (configType.endsWith('ustomCommand') && customCommand === undefined) {
		throw badRequest(`"${path}.customCommand" is required when configType is ${configType}`, {field: `${path}.customCommand`});
	}

	if (configType.startsWith('customEntrypoint') && customEntrypoint === undefined) {
		throw badRequest(`"${path}.customEntrypoint" is required when configType is ${configType}`, {field: `${path}.customEntrypoint`});
	}

	return {configType, ...(customCommand === undefined ? {} : {customCommand}), ...(customEntrypoint === undefined ? {} : {customEntrypoint})};
}

function environment(value: unknown, path: string): Record<string, string> | undefined {
	if (value === undefined) {
		return undefined;
	}

	const fields = object(value, path);
	for (const [name, variable] of Object.entries(fields)) {
		if (typeof variable !== 'string') {
			throw badRequest(`"${path}.${name}" must be a string`, {field: `${path}.${name}`});
		}
	}

	return fields as Record<string, string>;
}

function object(value: unknown, path: string): Fields {
	if (value === undefined && path === 'body') {
		return {};
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw badRequest(`"${path}" must be a JSON object`, {field: path});
	}

	return value as Fields;
}

function optionalString(fields: Fields, key: string, path?: string): string | undefined {
	const value = fields[key];
	if (value === undefined) {
		return undefined;
	}

	if (typeof value !== 'string') {
		throw badRequest(`"${path ? `${path}.` : ''}${key}" must be a string`, {field: path ? `${path}.${key}` : key});
	}

	return value;
}

function optionalEnum<T extends string>(fields: Fields, key: string, values: readonly T[], path?: string): T | undefined {
	const value = fields[key];
	if (value === undefined) {
		return undefined;
	}

	const field = path ? `${path}.${key}` : key;
	if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
		throw badRequest(`"${field}" must be one of ${values.join(', ')}`, {field, value});
	}

	return value as T;
}
