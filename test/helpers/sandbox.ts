import {startSandbox, type SandboxHandle, type SandboxOptions} from '../../source/sandbox/index.js';
import {NorthflankProvider, type NorthflankOptions} from '../../source/providers/northflank/provider.js';

/** A fresh sandbox on a free loopback port, with a Northflank provider pointed at it. */
export async function sandboxWithProvider(options: SandboxOptions = {}, providerOptions: Partial<NorthflankOptions> = {}): Promise<{sandbox: SandboxHandle; provider: NorthflankProvider}> {
	const sandbox = await startSandbox({port: 0, ...options});
	const provider = new NorthflankProvider({baseUrl: sandbox.url, token: sandbox.token, project: 'notechondria', platformName: 'the sandbox', ...providerOptions});
	return {sandbox, provider};
}
