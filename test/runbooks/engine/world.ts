// A small in-memory "world" for the engine's tests: effects that take time to complete, and hooks at
// every boundary a step crosses, so a test can hang a run at any point and resume it from its journal.
import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import type {Provider} from '../../../source/core/provider.js';
import {createJournal} from '../../../source/runbooks/engine/journal.js';
import {JournalStore} from '../../../source/runbooks/engine/journal-store.js';
import {ReleaseLock} from '../../../source/runbooks/engine/release-lock.js';
import type {Finding, Journal, NextAction, Runbook, StepDefinition, StepImpact, Verification} from '../../../source/runbooks/types.js';

export const provider = {platform: 'northflank'} as unknown as Provider;

export class World {
	/** How many times each effect was applied; the engine must never apply one twice. */
	readonly applied = new Map<string, number>();
	/** Calls made by the engine, in order: `action:backup`, `verify:deploy` … */
	readonly calls: string[] = [];
	private readonly startedAt = new Map<string, number>();
	private readonly hooks = new Map<string, () => Promise<void>>();

	constructor(readonly durationMs = 30) {}

	apply(id: string): void {
		this.applied.set(id, (this.applied.get(id) ?? 0) + 1);
		this.startedAt.set(id, Date.now());
	}

	/** Completes an effect now (for a world whose effects never complete by themselves). */
	finish(id: string): void {
		this.startedAt.set(id, Number.NEGATIVE_INFINITY);
	}

	count(id: string): number {
		return this.applied.get(id) ?? 0;
	}

	complete(id: string): boolean {
		const started = this.startedAt.get(id);
		return started !== undefined && Date.now() - started >= this.durationMs;
	}

	/** Runs the hook registered for this point, if any (it may never resolve: a simulated crash). */
	async at(point: string): Promise<void> {
		this.calls.push(point);
		await this.hooks.get(point)?.();
	}

	on(point: string, hook: () => Promise<void>): void {
		this.hooks.set(point, hook);
	}

	/** Hangs the run forever at this point, and resolves `reached` when it gets there. */
	hangAt(point: string): Promise<void> {
		return new Promise(resolve => {
			this.on(point, async () => {
				resolve();
				await new Promise(() => undefined);
			});
		});
	}

	clearHooks(): void {
		this.hooks.clear();
	}
}

export type EffectStepOptions = {
	impact?: StepImpact;
	verify?: (world: World) => Verification;
	preconditions?: Finding[];
	onFailure?: NextAction[];
	/** Throw this after applying the effect (a platform that stopped answering). */
	failAfterApplying?: () => Error;
	wait?: boolean;
};

/** A step whose effect is `world.apply(id)`, complete after world.durationMs; reconcile reads the world. */
export function effectStep(world: World, id: string, options: EffectStepOptions = {}): StepDefinition {
	let failures = 0;
	return {
		id,
		title: `Apply ${id}`,
		impact: options.impact ?? 'mutate',
		preview: journal => ({summary: `Apply ${id} to ${journal.target.service?.name ?? 'the world'}`, details: [`effect ${id}`], equivalent: `world apply ${id}`}),
		async preconditions() {
			await world.at(`preconditions:${id}`);
			return options.preconditions ?? [];
		},
		async reconcile() {
			await world.at(`reconcile:${id}`);
			if (world.count(id) === 0) {
				return {state: 'not-started'};
			}

			return world.complete(id) ? {state: 'done', note: `${id} applied`} : {state: 'in-flight', note: `${id} going`};
		},
		async action(context) {
			await world.at(`before-action:${id}`);
			world.apply(id);
			if (options.failAfterApplying && failures++ === 0) {
				throw options.failAfterApplying();
			}

			await world.at(`applied:${id}`);
			await context.handle('operation', `${id}-op`);
			await world.at(`after-action:${id}`);
		},
		...(options.wait === false ? {} : {
			async wait(context) {
				await world.at(`wait:${id}`);
				while (!world.complete(id)) {
					context.signal.throwIfAborted();
					context.log(`waiting for ${id}`);
					await new Promise(resolve => setTimeout(resolve, 5));
				}

				await world.at(`waited:${id}`);
			},
		}),
		async verify() {
			await world.at(`verify:${id}`);
			if (options.verify) {
				return options.verify(world);
			}

			return world.count(id) === 1 && world.complete(id) ? {ok: true, message: `${id} in place`} : {ok: false, message: `${id} applied ${world.count(id)} times`};
		},
		onFailure: () => options.onFailure ?? [{id: 'retry', label: 'Try again'}, {id: 'rollback-app', label: 'Roll the app back'}, {id: 'stop', label: 'Stop here'}],
	};
}

export function runbookOf(world: World, steps: StepDefinition[], options: {preflight?: Finding[]; locks?: boolean} = {}): Runbook {
	return {
		kind: 'release',
		title: 'Release (test)',
		async preflight() {
			await world.at('preflight');
			return options.preflight ?? [{level: 'ok', check: 'world', message: 'the world answers'}];
		},
		steps,
		locks: options.locks ?? true,
	};
}

export function journalFor(runbook: Runbook, context = 'production'): Journal {
	return createJournal({
		runbook,
		context,
		platform: 'northflank',
		target: {service: {id: 'svc-1', name: 'notechondria-backend'}, addon: {id: 'pg-1', name: 'notechondria-postgres'}},
		operator: 'alice',
		parameters: {build: 'quiet-prairie-8724'},
	});
}

/** A fresh state directory, removed when the test ends. */
export async function temporaryState(t: ExecutionContext): Promise<{stateDir: string; store: JournalStore; lock: ReleaseLock}> {
	const stateDir = await mkdtemp(join(tmpdir(), 'wheelhouse-engine-'));
	t.teardown(async () => rm(stateDir, {recursive: true, force: true}));
	const store = new JournalStore(stateDir);
	return {stateDir, store, lock: new ReleaseLock(stateDir, store)};
}

/** The pid of a process that has exited (for stale locks and interrupted runs). */
export async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '0'], {stdio: 'ignore'});
	await new Promise(resolve => child.once('exit', resolve));
	return child.pid!;
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error('timed out waiting for a condition');
		}

		await new Promise(resolve => setTimeout(resolve, 2));
	}
}
