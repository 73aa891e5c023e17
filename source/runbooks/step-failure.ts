// A step that failed for a known reason carries its classification to the engine.
import {ProviderError} from '../core/errors.js';
import type {FailureClass, StepFailure} from './types.js';

export class StepFailedError extends Error {
	readonly failure: StepFailure;

	constructor(stepId: string, failureClass: FailureClass, message: string, detail?: string[]) {
		super(message);
		this.name = 'StepFailedError';
		this.failure = {stepId, class: failureClass, message, detail};
	}
}

/** The default classification: our own failures as they say, a platform that did not answer as unknown. */
export function classifyStepError(stepId: string) {
	return (error: unknown): StepFailure => {
		if (error instanceof StepFailedError) {
			return error.failure;
		}

		if (error instanceof ProviderError && (error.kind === 'unreachable' || error.kind === 'timeout' || error.kind === 'server' || error.kind === 'rate-limited')) {
			return {stepId, class: 'unknown', message: `${error.message} — the step's outcome is unknown until the platform answers again.`};
		}

		return {stepId, class: 'failed', message: error instanceof Error ? error.message : String(error)};
	};
}
