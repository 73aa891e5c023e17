// A standalone `wheelhouse sandbox` on a free port, for benchmarks that talk to it over loopback.
import {spawn} from 'node:child_process';

const bin = new URL('../bin/wheelhouse.js', import.meta.url).pathname;

export async function startStandaloneSandbox(extraArguments = []) {
	const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', ...extraArguments], {stdio: ['ignore', 'pipe', 'inherit']});
	let output = '';
	const url = await new Promise((resolve, reject) => {
		child.stdout.on('data', chunk => {
			output += chunk;
			const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (match) {
				resolve(match[1]);
			}
		});
		child.on('exit', code => reject(new Error(`sandbox exited ${code}: ${output}`)));
	});
	const token = /token (\S+?)\)?$/m.exec(output)?.[1];
	return {child, url, token};
}
