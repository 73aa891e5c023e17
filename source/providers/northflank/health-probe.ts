import type {HealthProbe} from '../../core/database.js';
import {toPlainText} from '../../infra/sanitize.js';

/** One GET without retries: a health gate wants the service's answer now, not a recovered one. */
export async function probeUrl(url: string, timeoutMs: number): Promise<HealthProbe> {
	const started = performance.now();
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(timeoutMs), redirect: 'manual'});
		const body = await response.text().catch(() => '');
		return {url, status: response.status, ok: response.status === 200, ms: Math.round(performance.now() - started), detail: firstLine(body)};
	} catch (error) {
		const cause = (error as {cause?: {code?: string; message?: string}}).cause;
		const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
		return {url, ok: false, ms: Math.round(performance.now() - started), detail: firstLine(reason)};
	}
}

function firstLine(text: string): string {
	return toPlainText(text.split('\n', 1)[0] ?? '').slice(0, 160);
}
