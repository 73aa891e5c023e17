/**
 * Errors the user can act on. `hint` says what to do; `exitCode` 2 means bad input or configuration,
 * 1 means the operation itself failed.
 */
export class WheelhouseError extends Error {
	readonly hint: string | undefined;
	readonly exitCode: 1 | 2;

	constructor(message: string, options: {hint?: string; exitCode?: 1 | 2; cause?: unknown} = {}) {
		super(message, {cause: options.cause});
		this.name = 'WheelhouseError';
		this.hint = options.hint;
		this.exitCode = options.exitCode ?? 1;
	}
}

export class UsageError extends WheelhouseError {
	constructor(message: string, hint?: string) {
		super(message, {hint, exitCode: 2});
		this.name = 'UsageError';
	}
}

export type ProviderErrorKind =
	| 'auth'
	| 'forbidden'
	| 'not-found'
	| 'unreachable'
	| 'timeout'
	| 'rate-limited'
	| 'server'
	| 'bad-request'
	| 'protocol';

/** A platform call that failed, classified so the UI and the CLI can say what to do about it. */
export class ProviderError extends WheelhouseError {
	readonly kind: ProviderErrorKind;
	readonly status: number | undefined;

	constructor(kind: ProviderErrorKind, message: string, options: {hint?: string; status?: number; cause?: unknown} = {}) {
		const configurationProblem = kind === 'auth' || kind === 'forbidden' || kind === 'unreachable' || kind === 'not-found';
		super(message, {hint: options.hint, exitCode: configurationProblem ? 2 : 1, cause: options.cause});
		this.name = 'ProviderError';
		this.kind = kind;
		this.status = options.status;
	}
}
