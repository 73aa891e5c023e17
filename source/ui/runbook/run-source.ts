// What the runbook screen needs of a run, and what the dashboard hands the console to start one.
// The engine (runbooks/engine) is adapted to these; the UI never drives a runbook itself.
import type {Journal, RunView} from '../../runbooks/types.js';
import type {PaletteRunbook} from '../commands.js';

/** A run in progress (or finished) as the screen sees it. */
export type RunSource = {
	/** The run as it stands now. */
	view(): RunView;
	/** Called on every change of the view (any rate: the screen throttles); returns the unsubscribe. */
	subscribe(listener: (view: RunView) => void): () => void;
	/**
	 * Answers the question in `view().pending`: a confirm with true/false, a choice with the action
	 * id or undefined ("stop here"), an ask with the typed words or undefined (cancelled).
	 */
	answer(value: boolean | string | undefined): void;
	/** Stops after the current step (the operator confirmed it). */
	stop(): void;
	/** Shown in the header; defaults to the runbook kind ("Release"). */
	readonly title?: string;
};

/** What `:release`, `:rollback` and `:backup` ask for: the runbook and what it is about. */
export type RunbookRequest = {
	kind: PaletteRunbook;
	service?: {id: string; name: string};
	addon?: {id: string; name: string};
};

/** Starts a run (or refuses with an Error whose message says why: a lock held, a bad target). */
export type OpenRunbook = (request: RunbookRequest) => RunSource | Promise<RunSource>;

/** The journals of past runs (any order; the screen sorts newest first). */
export type ListRuns = () => Promise<Journal[]>;

/** How the dashboard asks the console for the runbook and history screens. */
export type ScreenLinks = {
	/** Resolves once the run's screen is shown; rejects when the run could not start. */
	openRunbook?: (request: RunbookRequest) => Promise<void>;
	openHistory?: () => void;
};
