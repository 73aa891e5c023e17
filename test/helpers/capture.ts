import {appendFileSync} from 'node:fs';
import {join} from 'node:path';

/**
 * Keeps a copy of what a test saw wheelhouse print, in $WHEELHOUSE_TEST_CAPTURE_DIR (set by
 * `npm test`), for scripts/grep-secrets.mjs to search for the test secrets. A no-op without it.
 */
export function captureOutput(label: string, text: string): void {
	const directory = process.env.WHEELHOUSE_TEST_CAPTURE_DIR;
	if (!directory || text === '') {
		return;
	}

	appendFileSync(join(directory, `output-${process.pid}.log`), `\n===== ${label}\n${text}`);
}
