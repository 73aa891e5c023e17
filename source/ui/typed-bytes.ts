// Keys Ink has already parsed, turned back into the bytes a terminal sends: what was typed while a
// shell was connecting goes to that shell once it is there.
import type {Key} from 'ink';

const named: Array<[keyof Key, string]> = [
	['upArrow', '\u001B[A'],
	['downArrow', '\u001B[B'],
	['rightArrow', '\u001B[C'],
	['leftArrow', '\u001B[D'],
	['home', '\u001B[H'],
	['end', '\u001B[F'],
	['pageUp', '\u001B[5~'],
	['pageDown', '\u001B[6~'],
	['return', '\r'],
	['backspace', '\u007F'],
	['delete', '\u001B[3~'],
];

export function typedBytes(input: string, key: Key): string {
	const found = named.find(([name]) => key[name] === true);
	if (found) {
		return found[1];
	}

	if (key.tab) {
		return key.shift ? '\u001B[Z' : '\t';
	}

	if (key.ctrl && /^[a-z]$/i.test(input)) {
		return String.fromCodePoint(input.toLowerCase().codePointAt(0)! - 96);
	}

	return key.meta && input ? `\u001B${input}` : input;
}
