import {ProviderError, WheelhouseError} from '../../core/errors.js';
import type {Finding, StepContext, StepDefinition, StepFailure, Verification} from '../types.js';
import {redactText} from './redact-journal.js';

/** What step.classify() receives when verify() answered `ok: false`. */
export class VerificationFailedError extends Error {
	readonly verification: Verification;

	constructor(verification: Verification) {
		super(verification.message);
		this.name = 'VerificationFailedError';
		this.verification = verification;
	}
}

/** What step.classify() receives when a precondition blocked the step (nothing was changed). */
export class PreconditionBlockedError extends Error {
	readonly findings: Finding[];

	constructor(findings: Finding[]) {
		super(`Blocked before it started: ${findings.filter(finding => finding.level === 'block').map(finding => finding.message).join('; ')}`);
		this.name = 'PreconditionBlockedError';
		this.findings = findings;
	}
}

const uncertainKinds = new Set(['unreachable', 'timeout', 'server']);

/**
 * The engine's classification when the step has none: a platform that could not be reached or answered
 * with a server error leaves the outcome 'unknown'; a blocked precondition is 'retryable' (nothing
 * changed); everything else 'failed'.
 */
export function defaultFailure(stepId: string, error: unknown): StepFailure {
	if (error instanceof VerificationFailedError) {
		return {stepId, class: 'failed', message: error.message, ...detailOf(error.verification.findings)};
	}

	if (error instanceof PreconditionBlockedError) {
		return {stepId, class: 'retryable', message: error.message, ...detailOf(error.findings)};
	}

	const message = error instanceof Error ? error.message : String(error);
	const hint = error instanceof WheelhouseError && error.hint ? {detail: [error.hint]} : {};
	if (error instanceof ProviderError && uncertainKinds.has(error.kind)) {
		return {stepId, class: 'unknown', message, ...hint};
	}

	return {stepId, class: 'failed', message, ...hint};
}

/** The step's own classification (falling back to the default), with secrets masked. */
export function classifyFailure(step: StepDefinition, error: unknown, context: StepContext): StepFailure {
	let failure: StepFailure;
	try {
		failure = step.classify?.(error, context) ?? defaultFailure(step.id, error);
	} catch {
		failure = defaultFailure(step.id, error);
	}

	return {
		...failure,
		stepId: step.id,
		message: redactText(failure.message),
		...(failure.detail === undefined ? {} : {detail: failure.detail.map(line => redactText(line))}),
	};
}

function detailOf(findings: Finding[] | undefined): {detail?: string[]} {
	if (!findings || findings.length === 0) {
		return {};
	}

	return {detail: findings.map(finding => `${finding.level} ${finding.check}: ${finding.message}${finding.hint ? ` (${finding.hint})` : ''}`)};
}
