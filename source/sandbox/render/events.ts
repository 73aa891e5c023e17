// A service's events (`GET /services/{id}/events`), derived from its history: deploys and their
// builds, failed instances, suspensions and one-off jobs. Newest first.
import {jobRunStatusAt} from '../lifecycle.js';
import type {JobRecord, ServiceRecord} from '../state.js';
import {deploysOf} from './deploys.js';
import type {RenderFaceState} from './face-state.js';
import {renderIds} from './render-ids.js';
import {jobStatus} from './views.js';

export type ServiceEvent = {id: string; timestamp: number; serviceId: string; type: string; details: Record<string, unknown>};

const endStatus = {live: 'succeeded', deactivated: 'succeeded', canceled: 'canceled'} as const;
// The deprecated integer `status` the spec still requires next to the string one.
const legacyStatus = {succeeded: 2, failed: 3, canceled: 4} as const;

export function eventsOf(service: ServiceRecord, jobs: JobRecord[], memo: RenderFaceState, t: number): ServiceEvent[] {
	const serviceId = renderIds.service(service.id);
	const events: ServiceEvent[] = [];
	const add = (type: string, key: string, timestamp: number, details: Record<string, unknown>) => {
		if (timestamp <= t) {
			events.push({id: renderIds.event(`${type}:${key}`), timestamp, serviceId, type, details});
		}
	};

	for (const deploy of deploysOf(service, memo, t)) {
		add('deploy_started', deploy.id, deploy.createdAt, {
			deployId: deploy.id,
			trigger: {firstBuild: false, envUpdated: false, manual: deploy.trigger === 'manual' || deploy.trigger === 'api', deployedByRender: false, clearCache: false, rollback: deploy.trigger === 'rollback'},
		});
		if (!deploy.rollout && deploy.finishedAt !== undefined) {
			const buildStatus = deploy.status === 'canceled' ? 'canceled' : 'failed';
			add('build_ended', deploy.id, deploy.finishedAt, {buildId: deploy.id, buildStatus, reason: {}, status: legacyStatus[buildStatus]});
		}

		if (deploy.finishedAt !== undefined) {
			const deployStatus = endStatus[deploy.status as keyof typeof endStatus] ?? 'failed';
			add('deploy_ended', deploy.id, deploy.finishedAt, {deployId: deploy.id, deployStatus, reason: {}, status: legacyStatus[deployStatus]});
		}
	}

	for (const container of service.containers) {
		if (container.fails) {
			add('server_failed', container.name, container.settlesAt, {instanceID: renderIds.instance(service.id, container.name), reason: {evicted: false, nonZeroExit: 1}});
		}
	}

	for (const notice of memo.notices.filter(entry => entry.serviceId === service.id)) {
		add(notice.type, `${notice.at}`, notice.at, {});
	}

	for (const job of jobs.filter(candidate => candidate.source.serviceId === service.id)) {
		for (const run of job.runs) {
			if (jobRunStatusAt(run, t).status !== 'RUNNING') {
				add('job_run_ended', run.id, run.concludesAt, {jobId: renderIds.job(run.id), status: jobStatus(run, t)});
			}
		}
	}

	return events.sort((a, b) => b.timestamp - a.timestamp);
}
