import type {Connection} from '../cli/connect.js';
import {loadSnapshot} from '../core/snapshot.js';
import {formatStatusReport} from './status-report.js';

export async function runStatusCommand(connection: Connection, options: {json: boolean}, stdout: NodeJS.WritableStream): Promise<number> {
	const snapshot = await loadSnapshot(connection.provider);
	if (options.json) {
		stdout.write(`${JSON.stringify({context: connection.context, ...snapshot}, null, 2)}\n`);
	} else {
		stdout.write(formatStatusReport(snapshot, connection.context, new Date()));
	}

	return 0;
}
