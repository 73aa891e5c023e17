// Text from a run (step titles, log lines, findings, journal outcomes) made safe for one screen line.
import {processRedactor} from '../../infra/redact.js';
import {toPlainText} from '../../infra/sanitize.js';

/**
 * No escape sequence or control character survives, tabs and newlines become spaces, and any
 * secret the process knows is masked (the engine promises none; this is the second lock).
 */
export function plain(text: string): string {
	return processRedactor.redact(toPlainText(text)).replaceAll('\t', ' ');
}
