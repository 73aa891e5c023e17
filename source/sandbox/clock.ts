/** How long things take on the sandbox platform, in milliseconds of sandbox time. */
export type SandboxDurations = {
	buildQueued: number;
	buildCloning: number;
	buildBuilding: number;
	buildUploading: number;
	/** From container creation to TASK_RUNNING (image pull, boot, readiness probe). */
	containerStart: number;
	/** TASK_KILLING until the container is gone (graceful shutdown). */
	containerStop: number;
	backup: number;
	restore: number;
	jobRun: number;
};

export const defaultDurations: SandboxDurations = {
	buildQueued: 2000,
	buildCloning: 3000,
	buildBuilding: 22_000,
	buildUploading: 5000,
	containerStart: 8000,
	containerStop: 4000,
	backup: 6000,
	restore: 8000,
	jobRun: 7000,
};

export type Clock = {
	now(): number;
	durations: SandboxDurations;
};

/**
 * Durations shrink by `timeScale` (10 makes a 32 s build take 3.2 s); `now` can be injected so tests
 * step time by hand. Timestamps stay on the wall clock either way, so "3 s ago" reads true.
 */
export function createClock(options: {now?: () => number; timeScale?: number; durations?: Partial<SandboxDurations>} = {}): Clock {
	const timeScale = options.timeScale ?? 1;
	if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
		throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
	}

	const merged = {...defaultDurations, ...options.durations};
	const durations = Object.fromEntries(
		Object.entries(merged).map(([name, ms]) => [name, Math.max(1, Math.round(ms / timeScale))]),
	) as SandboxDurations;
	return {now: options.now ?? Date.now, durations};
}
