// `wheelhouse setup`: the guided first-time setup, then (if asked) the console on the new context.
import type {GlobalOptions} from '../cli/args.js';
import {UsageError} from '../core/errors.js';
import {createSetupBackend} from './setup-backend.js';

export async function runSetupCommand(globals: GlobalOptions): Promise<number> {
	if (globals.sandbox) {
		throw new UsageError('wheelhouse setup --sandbox would save a context for a sandbox that stops when setup ends.', 'Start one with `wheelhouse sandbox`, then run `wheelhouse setup --sandbox-url http://127.0.0.1:4780`.');
	}

	if (globals.context !== undefined || globals.readOnly || globals.json) {
		throw new UsageError('wheelhouse setup asks for the context\'s name and safety itself; --context, --read-only and --json do not apply.', 'Run `wheelhouse setup` on its own.');
	}

	const backend = createSetupBackend({sandboxUrl: globals.sandboxUrl});
	const {renderSetup} = await import('../ui/setup/render-setup.js');
	const outcome = await renderSetup({backend});
	if (!outcome.saved) {
		process.stderr.write('wheelhouse: setup left; nothing was saved.\n');
		return 1;
	}

	if (!outcome.openConsole) {
		process.stdout.write(`Saved context ${outcome.saved} in ${backend.configPath}; it is the current context. Run \`wheelhouse\` (for an SSH host: \`wheelhouse exec\`) to use it.\n`);
		return 0;
	}

	const [{planConnection}, {runConsole}] = await Promise.all([import('../cli/connect.js'), import('./console.js')]);
	const result = await runConsole(await planConnection({context: outcome.saved, sandbox: false, readOnly: false, json: false}));
	return typeof result === 'number' ? result : 0;
}
