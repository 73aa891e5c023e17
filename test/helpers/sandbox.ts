import {startSandbox, type SandboxHandle, type SandboxOptions} from '../../source/sandbox/index.js';
import {NorthflankProvider, type NorthflankOptions} from '../../source/providers/northflank/provider.js';

/** A fresh sandbox on a free loopback port, with a Northflank provider pointed at it. */
export async function sandboxWithProvider(options: SandboxOptions = {}, providerOptions: Partial<NorthflankOptions> = {}): Promise<{sandbox: SandboxHandle; provider: NorthflankProvider}> {
	// Tests that need the addon's real database ask for one; the rest skip its initdb.
	const sandbox = await startSandbox({port: 0, database: 'simulated', ...options});
	const provider = new NorthflankProvider({baseUrl: sandbox.url, token: sandbox.token, project: 'notechondria', platformName: 'the sandbox', ...providerOptions});
	return {sandbox, provider};
}
