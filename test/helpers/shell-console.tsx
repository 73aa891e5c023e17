// The console on a real terminal with a fake exec session, for tests that drive it through a
// pseudo-terminal: `node --import=tsx test/helpers/shell-console.tsx`. The "shell" echoes what is
// typed; `exit N` ends it with N, `size` prints the last size it was given, anything else is "run".
import process from 'node:process';
import type {ExecTarget} from '../../source/core/exec.js';
import {renderDashboard} from '../../source/ui/render-dashboard.js';
import {createFakeExecSession} from './fake-exec-session.js';
import {createFakeLiveSource} from './fake-live-source.js';
import {sandboxContext} from './render-app.js';
import {seedLiveState} from './seed-snapshot.js';

function lineShell(target: ExecTarget) {
	const session = createFakeExecSession(target);
	let line = '';
	session.onOutput(() => undefined);
	const write = session.write.bind(session);
	session.write = data => {
		write(data);
		for (const character of typeof data === 'string' ? data : new TextDecoder().decode(data)) {
			if (character !== '\r') {
				line += character;
				continue;
			}

			const [command, argument] = line.trim().split(/\s+/);
			line = '';
			if (command === 'exit') {
				session.exit(Number(argument ?? 0));
			} else if (command === 'size') {
				const [columns, rows] = session.resizes.at(-1) ?? [];
				session.emit(`size ${columns}x${rows}\r\n$ `);
			} else {
				session.emit(`ran: ${command ?? ''}\r\n$ `);
			}
		}
	};

	setTimeout(() => {
		session.emit('$ ');
	}, 10);
	return session;
}

const source = createFakeLiveSource(seedLiveState());
let requests = 0;
// The console keeps receiving data while a shell has the terminal.
const ticker = setInterval(() => {
	requests++;
	source.update({requests});
}, 50);

await renderDashboard({
	source,
	context: sandboxContext,
	async openShell(target) {
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
		return lineShell(target);
	},
});
clearInterval(ticker);
process.stdout.write(`\nFIXTURE-DONE raw=${String(process.stdin.isRaw)} dataListeners=${process.stdin.listenerCount('data')} updates=${requests}\n`);
