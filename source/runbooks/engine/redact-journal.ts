import {processRedactor, type Redactor} from '../../infra/redact.js';

// The password part of `postgresql://user:password@host`, whether or not it was registered.
const urlCredentials = /(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/** Masks registered secrets and URL passwords in one string. */
export function redactText(text: string, redactor: Redactor = processRedactor): string {
	return redactor.redact(text).replace(urlCredentials, '$1…@');
}

/** A deep copy of a journal (or any JSON value) with every string redacted: the pass before each write. */
export function redactJson<T>(value: T, redactor: Redactor = processRedactor): T {
	return redactValue(value, redactor) as T;
}

function redactValue(value: unknown, redactor: Redactor): unknown {
	if (typeof value === 'string') {
		return redactText(value, redactor);
	}

	if (Array.isArray(value)) {
		return value.map(item => redactValue(item, redactor));
	}

	if (value !== null && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			copy[key] = redactValue(item, redactor);
		}

		return copy;
	}

	return value;
}
