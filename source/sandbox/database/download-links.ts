// Temporary download links for backup archives, like a platform's presigned URLs: a random token that
// opens one file without the API token, for an hour of sandbox time. Links live in memory only.
import {randomBytes} from 'node:crypto';

export const downloadLinkLifetimeMs = 60 * 60 * 1000;

export type DownloadGrant = {file: string; fileName: string; expiresAt: number};

export type DownloadLookup = {kind: 'found'; grant: DownloadGrant} | {kind: 'expired'; expiresAt: number} | {kind: 'unknown'};

export class DownloadLinks {
	private readonly grants = new Map<string, DownloadGrant>();

	constructor(private readonly now: () => number) {}

	/** A new token for `file`, served under the name `fileName`. */
	grant(file: string, fileName: string): {token: string; expiresAt: number} {
		this.forgetExpired();
		const token = randomBytes(24).toString('base64url');
		const expiresAt = this.now() + downloadLinkLifetimeMs;
		this.grants.set(token, {file, fileName, expiresAt});
		return {token, expiresAt};
	}

	lookup(token: string): DownloadLookup {
		const grant = this.grants.get(token);
		if (!grant) {
			return {kind: 'unknown'};
		}

		return this.now() < grant.expiresAt ? {kind: 'found', grant} : {kind: 'expired', expiresAt: grant.expiresAt};
	}

	/** Expired links are kept a day longer, so their use is told "expired" rather than "unknown". */
	private forgetExpired(): void {
		const cutoff = this.now() - (24 * 60 * 60 * 1000);
		for (const [token, grant] of this.grants) {
			if (grant.expiresAt < cutoff) {
				this.grants.delete(token);
			}
		}
	}
}
