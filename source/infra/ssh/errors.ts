import {WheelhouseError} from '../../core/errors.js';

export type SshErrorKind =
	| 'config'
	| 'dns'
	| 'refused'
	| 'unreachable'
	| 'timeout'
	| 'host-key-unknown'
	| 'host-key-rejected'
	| 'host-key-changed'
	| 'host-key-revoked'
	| 'auth'
	| 'closed'
	| 'channel'
	| 'tunnel';

const operationFailures = new Set<SshErrorKind>(['closed', 'channel', 'tunnel']);

/**
 * An SSH problem the operator can act on. Everything that stops a connection from being made
 * (configuration, names, reachability, host keys, keys) exits 2; a failure once connected exits 1.
 */
export class SshError extends WheelhouseError {
	readonly kind: SshErrorKind;

	constructor(kind: SshErrorKind, message: string, options: {hint?: string; cause?: unknown} = {}) {
		super(message, {hint: options.hint, cause: options.cause, exitCode: operationFailures.has(kind) ? 1 : 2});
		this.name = 'SshError';
		this.kind = kind;
	}
}
