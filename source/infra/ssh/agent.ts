import ssh2, {type IdentityCallback, type ParsedKey} from 'ssh2';

/**
 * ssh-agent, offering only the keys allowed (IdentitiesOnly) and counting what it offered, so an
 * authentication failure can say how many agent keys were tried.
 */
export class ObservedAgent extends ssh2.OpenSSHAgent {
	offered = 0;
	failure: string | undefined;

	constructor(readonly socketPath: string, private readonly allowedPublicKeys: ReadonlySet<string> | undefined) {
		super(socketPath);
	}

	override getIdentities(callback: IdentityCallback<ParsedKey>): void {
		super.getIdentities((error, keys) => {
			if (error) {
				this.failure = error.message;
				callback(error);
				return;
			}

			const offered = (keys ?? []).filter(key => !this.allowedPublicKeys || this.allowedPublicKeys.has(publicKeyBase64(key)));
			this.offered = offered.length;
			callback(undefined, offered);
		});
	}
}

function publicKeyBase64(key: unknown): string {
	if (typeof key === 'string') {
		return key;
	}

	if (Buffer.isBuffer(key)) {
		return key.toString('base64');
	}

	if (typeof (key as Partial<ParsedKey>).getPublicSSH === 'function') {
		return (key as ParsedKey).getPublicSSH().toString('base64');
	}

	return publicKeyBase64((key as {pubKey?: unknown}).pubKey ?? '');
}
