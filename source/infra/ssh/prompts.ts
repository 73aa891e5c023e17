// Asking the person at the terminal about SSH: an unknown host key, a key's passphrase. Without a
// terminal nobody can be asked, and unknown host keys are refused with the way to accept them.
import {askSecret, askYesNo, type PromptStreams} from '../prompt.js';
import type {SshConnectOptions} from './connect.js';

export function sshPrompts(streams: PromptStreams): Pick<SshConnectOptions, 'confirmUnknownHost' | 'askPassphrase'> {
	if (streams.stdin.isTTY !== true) {
		return {};
	}

	return {
		async confirmUnknownHost(key) {
			const accepted = await askYesNo(streams, `The authenticity of host ${key.host} can't be established.\n${key.keyType} key fingerprint is ${key.fingerprint}.\nAccept it and record it in known_hosts?`);
			return accepted ? 'accept' : 'reject';
		},
		async askPassphrase(keyPath) {
			return askSecret(streams, `Enter passphrase for key '${keyPath}': `);
		},
	};
}
