// A process's output stream as whole lines: chunks are decoded as UTF-8 (a character split between
// chunks stays whole), cut at newlines (a CRLF's CR goes too), and a line with no end yet is held back
// until it ends, grows too long, or the stream closes.
import type {Readable} from 'node:stream';

const maxLineLength = 64 * 1024;

export function eachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
	stream.setEncoding('utf8');
	let partial = '';
	return new Promise(resolve => {
		stream.on('data', (chunk: string) => {
			partial += chunk;
			let newline = partial.indexOf('\n');
			while (newline !== -1) {
				onLine(partial.slice(0, newline).replace(/\r$/, ''));
				partial = partial.slice(newline + 1);
				newline = partial.indexOf('\n');
			}

			while (partial.length > maxLineLength) {
				onLine(partial.slice(0, maxLineLength));
				partial = partial.slice(maxLineLength);
			}
		});
		stream.on('close', () => {
			if (partial !== '') {
				onLine(partial.replace(/\r$/, ''));
				partial = '';
			}

			resolve();
		});
	});
}
