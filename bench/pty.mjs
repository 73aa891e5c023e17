// Runs a command inside a real pseudo-terminal of a fixed size (util-linux `script`), so the console
// believes it is on a terminal, and hands back its output as it arrives.
import {spawn} from 'node:child_process';

const quote = value => `'${String(value).replaceAll('\'', '\'\\\'\'')}'`;

export function spawnInPty(argv, {columns = 120, rows = 40, env = {}} = {}) {
	const command = `stty cols ${columns} rows ${rows}; exec ${argv.map(quote).join(' ')}`;
	const child = spawn('script', ['-qfec', command, '/dev/null'], {
		env: {...process.env, TERM: 'xterm-256color', ...env},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let output = '';
	let bytes = 0;
	const waiters = [];
	child.stdout.on('data', chunk => {
		bytes += chunk.length;
		output += chunk.toString('utf8');
		if (output.length > 1_000_000) {
			output = output.slice(-500_000);
		}

		for (const waiter of [...waiters]) {
			if (output.includes(waiter.text)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(performance.now());
			}
		}
	});
	const exit = new Promise(resolve => {
		child.on('exit', code => resolve(code));
	});
	return {
		child,
		output: () => output,
		exited: () => exit,
		get bytes() {
			return bytes;
		},
		waitFor(text, timeoutMs = 15_000) {
			if (output.includes(text)) {
				return Promise.resolve(performance.now());
			}

			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(text)}; output so far: ${JSON.stringify(output.slice(-400))}`)), timeoutMs);
				waiters.push({text, resolve: value => {
					clearTimeout(timer);
					resolve(value);
				}});
			});
		},
		async stop() {
			child.stdin.write('q');
			await new Promise(resolve => {
				const timer = setTimeout(() => {
					child.kill('SIGKILL');
				}, 3000);
				child.on('exit', () => {
					clearTimeout(timer);
					resolve();
				});
			});
		},
	};
}
