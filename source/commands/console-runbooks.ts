// The console's runbooks: `:release`, `:rollback` and `:backup` start a run whose questions appear as
// dialogs (a queue operator), and an unfinished run of the context is resumed instead of starting anew.
import type {ConnectedContext} from '../cli/connect.js';
import type {Provider} from '../core/provider.js';
import {stateDirectory} from '../infra/state-path.js';
import {createJournal, JournalStore, LockHeldError, queueOperator, ReleaseLock, RunbookRunner} from '../runbooks/engine/index.js';
import {resolveTarget, type DeploymentTarget} from '../runbooks/target.js';
import type {Journal, Runbook} from '../runbooks/types.js';
import type {ListRuns, OpenRunbook, RunSource} from '../ui/runbook/run-source.js';
import {operatorName, planRunbook, runbookOf} from './runbooks.js';

export function consoleRunbooks(providerOf: () => Provider, context: ConnectedContext): {openRunbook: OpenRunbook; listRuns: ListRuns} {
	const store = new JournalStore(stateDirectory());
	return {
		async listRuns() {
			return (await store.list()).journals;
		},
		async openRunbook(request) {
			const provider = providerOf();
			const unfinished = (await store.findUnfinished(context.name))[0];
			if (unfinished) {
				const target = await resolveTarget(provider, context, {service: unfinished.target.service?.id, addon: unfinished.target.addon?.id});
				return runSource(provider, context, store, runbookOf(unfinished, target), unfinished, target, 'resume');
			}

			const target = await resolveTarget(provider, context, {service: request.service?.id, addon: request.addon?.id});
			if (request.kind !== 'backup') {
				await refuseWhenLocked(context.name, store);
			}

			// The palette's runbooks are the command line's, with the console's defaults (the backup is verified).
			const run = {dryRun: false, yes: false};
			const {runbook, parameters} = await planRunbook({provider, context}, target, request.kind === 'backup' ? {command: 'backup', verify: true, run} : {command: request.kind, run}, store);
			const journal = createJournal({
				runbook,
				context: context.name,
				environment: context.environment,
				platform: context.sandbox ? `${context.platform} (sandbox)` : context.platform,
				target: runbook.kind === 'backup' ? {addon: target.addon} : {service: target.service, addon: target.addon, job: target.job},
				operator: operatorName(),
				parameters,
			});
			return runSource(provider, context, store, runbook, journal, target, 'start');
		},
	};
}

function runSource(provider: Provider, context: ConnectedContext, store: JournalStore, runbook: Runbook, journal: Journal, target: DeploymentTarget, mode: 'start' | 'resume'): RunSource {
	const operator = queueOperator({name: operatorName()});
	const runner = new RunbookRunner({
		runbook,
		provider,
		operator,
		journal,
		store,
		options: {protected: context.protected || target.protected, contextName: context.name},
	});
	// The screen shows how the run ends (failed, lock held) from the journal; nothing to report here.
	void (mode === 'start' ? runner.start() : runner.resume()).catch(() => undefined);
	return {
		view: () => runner.view(),
		subscribe: listener => runner.subscribe(listener),
		answer(value) {
			operator.answer(value);
		},
		stop() {
			void runner.stop();
		},
		// The header names the target itself; the title says what kind of run it is.
		title: mode === 'resume' ? `Resume ${runbook.kind}` : undefined,
	};
}

/** A run elsewhere holds the context's lock: say who, on the status line, before showing any screen. */
async function refuseWhenLocked(contextName: string, store: JournalStore): Promise<void> {
	const lock = new ReleaseLock(stateDirectory(), store);
	const holder = await lock.holder(contextName);
	if (holder && !lock.isStale(holder)) {
		throw new LockHeldError(holder);
	}
}
