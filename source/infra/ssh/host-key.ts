import {createHash} from 'node:crypto';
import type {ServerHostKeyAlgorithm} from 'ssh2';

/** A host key as the server sent it (the SSH wire-format blob), described as OpenSSH shows it. */
export type HostKey = {
	/** The algorithm name inside the key: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
	keyType: string;
	/** The blob in base64, as known_hosts stores it. */
	keyBase64: string;
	/** `SHA256:…`, as `ssh-keygen -lf` prints it. */
	fingerprint: string;
};

export function describeHostKey(blob: Buffer): HostKey {
	return {keyType: keyTypeOf(blob), keyBase64: blob.toString('base64'), fingerprint: sha256Fingerprint(blob)};
}

export function sha256Fingerprint(blob: Buffer): string {
	return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The first field of the blob: a uint32 length and the algorithm name. */
function keyTypeOf(blob: Buffer): string {
	if (blob.length < 4) {
		return 'unknown';
	}

	const length = blob.readUInt32BE(0);
	return length > 0 && length <= 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

/** How OpenSSH names the kind of key in its messages: ED25519, ECDSA, RSA, DSA. */
export function keyTypeLabel(keyType: string): string {
	if (keyType.startsWith('ecdsa-')) {
		return 'ECDSA';
	}

	const labels: Record<string, string> = {'ssh-ed25519': 'ED25519', 'ssh-rsa': 'RSA', 'ssh-dss': 'DSA'};
	return labels[keyType] ?? keyType.toUpperCase();
}

/** Key types OpenSSH treats as the same kind when deciding a key has changed (every ECDSA curve is ECDSA). */
export function sameKindOfKey(a: string, b: string): boolean {
	return keyTypeLabel(a) === keyTypeLabel(b);
}

/** The host-key algorithms to offer, those already in known_hosts first so the server picks a key we can check. */
export function hostKeyAlgorithmsPreferring(knownKeyTypes: readonly string[]): ServerHostKeyAlgorithm[] {
	const algorithms: ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];
	const algorithmsFor = (keyType: string): string[] => keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [keyType];
	const preferred = algorithms.filter(algorithm => knownKeyTypes.some(keyType => algorithmsFor(keyType).includes(algorithm)));
	return [...new Set([...preferred, ...algorithms])];
}
