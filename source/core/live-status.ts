import {ProviderError} from './errors.js';
import type {LiveSource, LiveState} from './live-state.js';
import type {Provider} from './provider.js';
import {assembleSnapshot} from './snapshot.js';
import {isAddonInTransition, isJobInTransition, isServiceInTransition} from './status.js';
import type {Addon, Backup, Build, Container, DashboardSnapshot, Job, JobRun, Project, Service} from './types.js';

export type PollPlan = {
	/** Requests per hour the idle dashboard may spend (Northflank allows 1,000/h per token). */
	idleBudgetPerHour: number;
	/** Interval of the quick poll while something is in transition. */
	transitionIntervalMs: number;
	/** Floor for idle intervals, however big the budget. */
	minIdleIntervalMs: number;
	/** First retry after a failed refresh; doubles up to maxBackoffMs. */
	backoffMs: number;
	maxBackoffMs: number;
};

export const defaultPollPlan: PollPlan = {
	idleBudgetPerHour: 540,
	transitionIntervalMs: 3000,
	minIdleIntervalMs: 15_000,
	backoffMs: 5000,
	maxBackoffMs: 60_000,
};

/** Share of the idle budget spent on the project-wide lists that reveal changes. */
const overviewShare = 2 / 3;

type Task = {key: string; dueAt: number; run: () => Promise<void>};

/**
 * Keeps a live DashboardSnapshot of one context, polling the provider adaptively:
 * the project-wide lists (services, addons) often, the per-entity details rarely, and
 * whatever is moving every few seconds. It stays inside the idle budget and backs off
 * when the platform fails or rate-limits, marking the data stale until it recovers.
 */
export class LiveStatus implements LiveSource {
	private readonly plan: PollPlan;
	private readonly listeners = new Set<(state: LiveState) => void>();
	private state: LiveState = {loading: true, transitioning: false, requests: 0, budget: {}};
	private readonly tasks = new Map<string, Task>();
	private readonly inFlight = new Set<string>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private running = false;
	private failures = 0;
	private selectedServiceId: string | undefined;

	private project: Project | undefined;
	private services: Service[] | undefined;
	private addons: Addon[] | undefined;
	private jobs: Job[] | undefined;
	private readonly serviceDetails = new Map<string, Service>();
	private readonly containers = new Map<string, Container[]>();
	private readonly builds = new Map<string, Build[]>();
	private readonly addonDetails = new Map<string, Addon>();
	private readonly backups = new Map<string, Backup[]>();
	private readonly runs = new Map<string, JobRun[]>();

	constructor(private readonly provider: Provider, plan: Partial<PollPlan> = {}, private readonly now: () => number = Date.now) {
		this.plan = {...defaultPollPlan, ...plan};
	}

	getState(): LiveState {
		return this.state;
	}

	subscribe(listener: (state: LiveState) => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	start(): void {
		if (this.running) {
			return;
		}

		this.running = true;
		this.schedule('project', 0, async () => {
			this.project = await this.provider.getProject();
		});
		this.scheduleOverview(0);
		this.wake();
	}

	stop(): void {
		this.running = false;
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	refreshNow(): void {
		const now = this.now();
		for (const task of this.tasks.values()) {
			task.dueAt = Math.min(task.dueAt, now);
		}

		this.failures = 0;
		this.wake();
	}

	selectService(serviceId: string | undefined): void {
		if (serviceId === this.selectedServiceId) {
			return;
		}

		this.selectedServiceId = serviceId;
		if (serviceId && !this.builds.has(serviceId)) {
			this.scheduleBuilds(serviceId, 0);
			this.wake();
		}
	}

	/** Requests one full idle cycle costs, split into the overview lists and the details. */
	idleCycleCost(): {overview: number; detail: number} {
		const services = this.services?.length ?? 1;
		const addons = this.addons?.length ?? 1;
		const jobs = this.jobs?.length ?? 1;
		// Services: detail + containers each, builds for the selected one; addons: detail + backups; jobs: list + runs.
		return {overview: 2, detail: (services * 2) + 1 + (addons * 2) + 1 + jobs};
	}

	private idleIntervals(): {overviewMs: number; detailMs: number} {
		const cost = this.idleCycleCost();
		const hour = 3_600_000;
		const overviewMs = (cost.overview * hour) / (this.plan.idleBudgetPerHour * overviewShare);
		const detailMs = (cost.detail * hour) / (this.plan.idleBudgetPerHour * (1 - overviewShare));
		const stretch = this.budgetStretch();
		return {
			overviewMs: Math.max(this.plan.minIdleIntervalMs, overviewMs) * stretch,
			detailMs: Math.max(this.plan.minIdleIntervalMs * 4, detailMs) * stretch,
		};
	}

	/** When the platform says the budget is nearly spent, spread what is left until it resets. */
	private budgetStretch(): number {
		const {budget} = this.provider.stats();
		if (budget.limit === undefined || budget.remaining === undefined || budget.resetAt === undefined) {
			return 1;
		}

		if (budget.remaining > budget.limit * 0.2) {
			return 1;
		}

		const secondsLeft = Math.max(1, (budget.resetAt.getTime() - this.now()) / 1000);
		const affordablePerHour = (Math.max(budget.remaining, 1) / secondsLeft) * 3600 * 0.5;
		return Math.max(1, this.plan.idleBudgetPerHour / affordablePerHour);
	}

	private scheduleOverview(delayMs: number): void {
		this.schedule('services', delayMs, async () => {
			const previous = this.services;
			const services = await this.provider.listServices();
			this.services = services;
			for (const service of services) {
				const before = previous?.find(candidate => candidate.id === service.id);
				const changed = !before || statusKey(before) !== statusKey(service);
				this.scheduleServiceDetail(service.id, changed ? 0 : undefined);
			}

			for (const id of this.serviceDetails.keys()) {
				if (!services.some(service => service.id === id)) {
					this.forgetService(id);
				}
			}

			if (!this.selectedServiceId && services[0]) {
				this.selectedServiceId = services[0].id;
			}

			if (this.selectedServiceId) {
				const selected = this.selectedServiceId;
				const before = previous?.find(candidate => candidate.id === selected);
				const now = services.find(candidate => candidate.id === selected);
				this.scheduleBuilds(selected, !this.builds.has(selected) || (now && before?.build?.since?.getTime() !== now.build?.since?.getTime()) ? 0 : undefined);
			}
		});
		this.schedule('addons', delayMs, async () => {
			const previous = this.addons;
			const addons = await this.provider.listAddons();
			this.addons = addons;
			for (const addon of addons) {
				const before = previous?.find(candidate => candidate.id === addon.id);
				this.scheduleBackups(addon.id, !before || before.rawStatus !== addon.rawStatus ? 0 : undefined);
			}
		});
		this.schedule('jobs', delayMs, async () => {
			const jobs = await this.provider.listJobs();
			this.jobs = jobs;
			for (const job of jobs) {
				this.scheduleRuns(job.id, this.runs.has(job.id) ? undefined : 0);
			}
		});
	}

	private scheduleServiceDetail(serviceId: string, delayMs?: number): void {
		this.scheduleIfNew(`service:${serviceId}`, delayMs, async () => {
			const [service, containers] = await Promise.all([
				this.provider.getService(serviceId),
				this.provider.listContainers(serviceId),
			]);
			this.serviceDetails.set(serviceId, service);
			this.containers.set(serviceId, containers);
		});
	}

	private scheduleBuilds(serviceId: string, delayMs?: number): void {
		this.scheduleIfNew(`builds:${serviceId}`, delayMs, async () => {
			this.builds.set(serviceId, await this.provider.listBuilds(serviceId, 20));
		});
	}

	private scheduleBackups(addonId: string, delayMs?: number): void {
		this.scheduleIfNew(`backups:${addonId}`, delayMs, async () => {
			// The list has no version or storage; the detail has.
			const [detail, backups] = await Promise.all([this.provider.getAddon(addonId), this.provider.listBackups(addonId, 20)]);
			this.addonDetails.set(addonId, detail);
			this.backups.set(addonId, backups);
		});
	}

	private scheduleRuns(jobId: string, delayMs?: number): void {
		this.scheduleIfNew(`runs:${jobId}`, delayMs, async () => {
			this.runs.set(jobId, await this.provider.listJobRuns(jobId, 20));
		});
	}

	private forgetService(serviceId: string): void {
		this.serviceDetails.delete(serviceId);
		this.containers.delete(serviceId);
		this.builds.delete(serviceId);
		this.tasks.delete(`service:${serviceId}`);
		this.tasks.delete(`builds:${serviceId}`);
	}

	/** Adds a task; an existing one keeps its schedule unless the new delay makes it due sooner. */
	private scheduleIfNew(key: string, delayMs: number | undefined, run: () => Promise<void>): void {
		const existing = this.tasks.get(key);
		const dueAt = this.now() + (delayMs ?? this.intervalFor(key));
		if (existing) {
			existing.run = run;
			existing.dueAt = Math.min(existing.dueAt, dueAt);
			return;
		}

		this.tasks.set(key, {key, dueAt, run});
	}

	private schedule(key: string, delayMs: number, run: () => Promise<void>): void {
		this.tasks.set(key, {key, dueAt: this.now() + delayMs, run});
	}

	private intervalFor(key: string): number {
		if (key === 'project') {
			return 30 * 60 * 1000;
		}

		if (this.isMoving(key)) {
			return this.plan.transitionIntervalMs;
		}

		const {overviewMs, detailMs} = this.idleIntervals();
		if (key === 'services' || key === 'addons') {
			return this.anyInTransition() ? Math.min(overviewMs, this.plan.transitionIntervalMs * 2) : overviewMs;
		}

		return detailMs;
	}

	/** Whether the entity a task refreshes is itself in transition. */
	private isMoving(key: string): boolean {
		const [kind, id = ''] = key.split(':');
		switch (kind) {
			case 'service':
			case 'builds': {
				// The list is polled more often, so its statuses are the fresher ones.
				const service = this.services?.find(candidate => candidate.id === id) ?? this.serviceDetails.get(id);
				const containers = this.containers.get(id) ?? [];
				return service !== undefined && (isServiceInTransition(service, this.builds.get(id)) || containers.some(container => container.status === 'starting' || container.status === 'stopping'));
			}

			case 'backups': {
				const addon = this.addons?.find(candidate => candidate.id === id);
				return addon !== undefined && isAddonInTransition(addon, this.backups.get(id));
			}

			case 'runs': {
				return isJobInTransition(this.runs.get(id));
			}

			default: {
				return false;
			}
		}
	}

	private wake(): void {
		if (!this.running) {
			return;
		}

		clearTimeout(this.timer);
		let next = Number.POSITIVE_INFINITY;
		for (const task of this.tasks.values()) {
			if (!this.inFlight.has(task.key)) {
				next = Math.min(next, task.dueAt);
			}
		}

		if (next === Number.POSITIVE_INFINITY) {
			return;
		}

		const delay = Math.max(0, next - this.now());
		this.timer = setTimeout(() => {
			void this.runDue();
		}, delay);
		this.timer.unref?.();
	}

	private async runDue(): Promise<void> {
		const now = this.now();
		const due = [...this.tasks.values()].filter(task => task.dueAt <= now && !this.inFlight.has(task.key));
		for (const task of due) {
			this.inFlight.add(task.key);
		}

		const results = await Promise.allSettled(due.map(async task => task.run()));
		for (const task of due) {
			this.inFlight.delete(task.key);
		}

		if (!this.running) {
			return;
		}

		const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
		this.failures = failure ? this.failures + 1 : 0;
		for (const [index, task] of due.entries()) {
			if (this.tasks.get(task.key) !== task) {
				continue;
			}

			const result = results[index];
			task.dueAt = result?.status === 'rejected'
				? this.now() + this.retryDelay(result.reason)
				: this.now() + this.intervalFor(task.key);
		}

		this.publish(failure?.reason);
		this.wake();
	}

	private retryDelay(error: unknown): number {
		if (error instanceof ProviderError && error.kind === 'rate-limited') {
			const resetAt = this.provider.stats().budget.resetAt?.getTime();
			if (resetAt !== undefined && resetAt > this.now()) {
				return Math.min(resetAt - this.now() + 1000, 15 * 60 * 1000);
			}
		}

		return Math.min(this.plan.maxBackoffMs, this.plan.backoffMs * (2 ** Math.max(0, this.failures - 1)));
	}

	private publish(error: unknown): void {
		const now = new Date(this.now());
		const stats = this.provider.stats();
		const snapshot = this.buildSnapshot();
		const transitioning = this.anyInTransition();
		if (error === undefined) {
			this.state = {
				snapshot,
				updatedAt: snapshot ? now : this.state.updatedAt,
				loading: snapshot === undefined,
				transitioning,
				requests: stats.requests,
				budget: stats.budget,
				nextRefreshAt: this.nextDue(),
			};
		} else {
			this.state = {
				...this.state,
				snapshot: snapshot ?? this.state.snapshot,
				staleSince: this.state.staleSince ?? (this.state.updatedAt ?? now),
				error: describe(error),
				loading: false,
				transitioning,
				requests: stats.requests,
				budget: stats.budget,
				nextRefreshAt: this.nextDue(),
			};
		}

		for (const listener of this.listeners) {
			listener(this.state);
		}
	}

	private nextDue(): Date | undefined {
		let next = Number.POSITIVE_INFINITY;
		for (const task of this.tasks.values()) {
			next = Math.min(next, task.dueAt);
		}

		return Number.isFinite(next) ? new Date(next) : undefined;
	}

	private anyInTransition(): boolean {
		for (const key of this.tasks.keys()) {
			if (this.isMoving(key)) {
				return true;
			}
		}

		return false;
	}

	private buildSnapshot(): DashboardSnapshot | undefined {
		if (!this.services || !this.addons || !this.jobs) {
			return undefined;
		}

		return assembleSnapshot({
			project: this.project,
			services: this.services,
			addons: this.addons,
			jobs: this.jobs,
			serviceDetails: this.serviceDetails,
			addonDetails: this.addonDetails,
			containers: this.containers,
			builds: this.builds,
			backups: this.backups,
			runs: this.runs,
		});
	}
}

function statusKey(service: Service): string {
	return [service.deployment.rawStatus, service.deployment.since?.getTime(), service.build?.rawStatus, service.build?.since?.getTime()].join('|');
}

function describe(error: unknown): {message: string; hint?: string} {
	if (error instanceof ProviderError) {
		return {message: error.message, hint: error.hint};
	}

	return {message: error instanceof Error ? error.message : String(error)};
}
