import {join} from 'node:path';

/** `~` and `~/…` → the home directory. */
export function expandHome(path: string, homeDir: string): string {
	if (path === '~') {
		return homeDir;
	}

	return path.startsWith('~/') ? join(homeDir, path.slice(2)) : path;
}

export type TokenValues = {
	/** %h: the remote host name (after HostName). */
	host: string;
	/** %n: the host as given, before HostName. */
	originalHost: string;
	/** %p */
	port: number;
	/** %r: the remote user. */
	remoteUser: string;
	/** %u: the local user. */
	localUser: string;
	/** %d: the local home directory. */
	homeDir: string;
};

/** OpenSSH's `%` tokens in paths such as IdentityFile and UserKnownHostsFile (`~` first). Unknown tokens stay. */
export function expandTokens(text: string, values: TokenValues): string {
	const replacements: Record<string, string> = {
		'%': '%',
		h: values.host,
		n: values.originalHost,
		p: String(values.port),
		r: values.remoteUser,
		u: values.localUser,
		d: values.homeDir,
	};
	return expandHome(text, values.homeDir).replaceAll(/%(.)/g, (whole, token: string) => replacements[token] ?? whole);
}
