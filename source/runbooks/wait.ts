// Polling the platform until something settles; the operator can stop waiting (the platform goes on).
import {WheelhouseError} from '../core/errors.js';

export type WaitOptions = {intervalMs?: number; timeoutMs?: number; signal?: AbortSignal; what: string};

/** Calls `check` until it returns a value (not undefined), the timeout passes, or the signal aborts. */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
	const interval = options.intervalMs ?? 1500;
	const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
	for (;;) {
		options.signal?.throwIfAborted();
		const value = await check();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() + interval > deadline) {
			throw new WheelhouseError(`Gave up waiting for ${options.what} after ${Math.round((options.timeoutMs ?? 0) / 1000)} s.`, {hint: 'It may still finish on the platform: `wheelhouse resume` re-reads its state.'});
		}

		await sleep(interval, options.signal);
	}
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal!.reason as Error);
		};

		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
