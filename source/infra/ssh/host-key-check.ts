import {SshError} from './errors.js';
import {describeHostKey, keyTypeLabel, sameKindOfKey, type HostKey} from './host-key.js';
import {findKnownHostEntries, recordKnownHost} from './known-hosts.js';
import type {SshHop} from './route.js';

/** What the operator is asked about when a host's key is not in known_hosts yet. */
export type UnknownHostKey = {
	host: string;
	port: number;
	/** `ssh-ed25519`, `ecdsa-sha2-nistp256`, … */
	keyType: string;
	/** `SHA256:…`, as OpenSSH shows it. */
	fingerprint: string;
	/** Where the key is recorded if accepted. */
	knownHostsFile: string | undefined;
	/** known_hosts has keys of another type for this host (the server offered a type we had not seen). */
	otherKeyTypesKnown: boolean;
};

export type ConfirmUnknownHost = (key: UnknownHostKey) => Promise<'accept' | 'reject'> | 'accept' | 'reject';

export type HostKeyCheckOptions = {
	/** Absent when nobody can be asked (no terminal): unknown keys are then refused. */
	confirmUnknownHost?: ConfirmUnknownHost;
	/** How to accept the key by hand, for the refusal message. */
	acceptByHand: string;
};

/** Checks the key a host presented; resolves to the reason for refusing it, or undefined to go on. */
export async function checkHostKey(hop: SshHop, blob: Buffer, options: HostKeyCheckOptions): Promise<SshError | undefined> {
	const key = describeHostKey(blob);
	const entries = await findKnownHostEntries(hop.knownHostsName, [...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles]);
	const sameKey = entries.filter(entry => entry.keyType === key.keyType && entry.keyBase64 === key.keyBase64);
	if (sameKey.some(entry => entry.marker === 'revoked')) {
		return new SshError('host-key-revoked', revokedWarning(hop, key), {hint: 'Do not connect; tell the host\'s administrator.'});
	}

	if (sameKey.some(entry => entry.marker === undefined)) {
		return undefined;
	}

	const offending = entries.find(entry => entry.marker === undefined && sameKindOfKey(entry.keyType, key.keyType));
	if (offending) {
		return new SshError('host-key-changed', changedWarning(hop, key, offending), {
			hint: `Only if the host's administrator confirms the new key (${key.fingerprint}): remove the old one as shown, then connect again to accept the new key.`,
		});
	}

	const unknown: UnknownHostKey = {
		host: hop.host,
		port: hop.port,
		keyType: key.keyType,
		fingerprint: key.fingerprint,
		knownHostsFile: hop.userKnownHostsFiles[0],
		otherKeyTypesKnown: entries.some(entry => entry.marker === undefined),
	};
	if (!options.confirmUnknownHost || hop.neverAskAboutUnknownKeys) {
		const why = hop.neverAskAboutUnknownKeys ? 'StrictHostKeyChecking is yes in ~/.ssh/config' : 'wheelhouse is not running interactively, so it cannot ask you to accept it';
		return new SshError('host-key-unknown', `${unknownHostText(hop, key, unknown.otherKeyTypesKnown)}\nNot connecting: ${why}.`, {
			hint: `Check the fingerprint with the host's administrator, then accept the key: ${options.acceptByHand}.`,
		});
	}

	if (await options.confirmUnknownHost(unknown) !== 'accept') {
		return new SshError('host-key-rejected', `The host key of ${hop.knownHostsName} (${keyTypeLabel(key.keyType)} ${key.fingerprint}) was not accepted; not connecting.`);
	}

	if (unknown.knownHostsFile) {
		await recordKnownHost(unknown.knownHostsFile, hop.knownHostsName, key.keyType, key.keyBase64, {hash: hop.hashKnownHosts});
	}

	return undefined;
}

/** OpenSSH's question, as a statement (the operator is asked separately, or told how to accept). */
function unknownHostText(hop: SshHop, key: HostKey, otherKeyTypesKnown: boolean): string {
	return [
		`The authenticity of host '${hop.knownHostsName}' can't be established${otherKeyTypesKnown ? ',\nbut keys of different type are already known for this host' : ''}.`,
		`${keyTypeLabel(key.keyType)} key fingerprint is ${key.fingerprint}.`,
	].join('\n');
}

const banner = '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@';

/** The warning OpenSSH prints when a known host presents a different key. */
function changedWarning(hop: SshHop, key: HostKey, offending: {file: string; line: number; keyType: string}): string {
	const label = keyTypeLabel(key.keyType);
	return [
		banner,
		'@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
		banner,
		'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
		'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
		'It is also possible that a host key has just been changed.',
		`The fingerprint for the ${label} key sent by the remote host is`,
		`${key.fingerprint}.`,
		'Please contact your system administrator.',
		`Add correct host key in ${offending.file} to get rid of this message.`,
		`Offending ${keyTypeLabel(offending.keyType)} key in ${offending.file}:${offending.line}`,
		'  remove with:',
		`  ssh-keygen -f "${offending.file}" -R "${hop.knownHostsName}"`,
		`Host key for ${hop.knownHostsName} has changed and you have requested strict checking.`,
		'Host key verification failed.',
	].join('\n');
}

function revokedWarning(hop: SshHop, key: HostKey): string {
	return [
		banner,
		'@       WARNING: REVOKED HOST KEY DETECTED!               @',
		banner,
		`The ${keyTypeLabel(key.keyType)} host key for ${hop.knownHostsName} is marked as revoked.`,
		'This could mean that a stolen key is being used to',
		'impersonate this host.',
		'Host key verification failed.',
	].join('\n');
}
