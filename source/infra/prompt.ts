import {createInterface} from 'node:readline/promises';

export type PromptStreams = {stdin: NodeJS.ReadStream; stderr: NodeJS.WriteStream};

/** A yes/no question on the terminal; anything but y/yes is no. Undefined when there is no terminal to ask. */
export async function askYesNo(streams: PromptStreams, question: string): Promise<boolean | undefined> {
	if (!streams.stdin.isTTY) {
		return undefined;
	}

	const lines = createInterface({input: streams.stdin, output: streams.stderr, terminal: true});
	try {
		const answer = await lines.question(`${question} [y/N] `);
		return /^y(?:es)?$/i.test(answer.trim());
	} finally {
		lines.close();
	}
}

/**
 * Reads a secret (a passphrase) without echoing it. Undefined when there is no terminal, or when the
 * operator presses ctrl-c or esc.
 */
export async function askSecret(streams: PromptStreams, question: string): Promise<string | undefined> {
	const {stdin, stderr} = streams;
	if (!stdin.isTTY) {
		return undefined;
	}

	stderr.write(question);
	const wasRaw = stdin.isRaw;
	stdin.setRawMode(true);
	stdin.resume();
	let secret = '';
	try {
		return await new Promise<string | undefined>(resolve => {
			const onData = (chunk: Buffer) => {
				for (const character of chunk.toString('utf8')) {
					if (character === '\r' || character === '\n') {
						stdin.off('data', onData);
						resolve(secret);
						return;
					}

					if (character === '\u0003' || character === '\u001B') {
						stdin.off('data', onData);
						resolve(undefined);
						return;
					}

					secret = character === '\u007F' || character === '\b' ? secret.slice(0, -1) : secret + character;
				}
			};

			stdin.on('data', onData);
		});
	} finally {
		stdin.setRawMode(wasRaw);
		stdin.pause();
		stderr.write('\n');
	}
}
