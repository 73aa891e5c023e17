import ansiRegex from 'ansi-regex';
import stripAnsi from 'strip-ansi';

const escapeSequences = ansiRegex();
const sgrSequence = /^\u001B\[[\d;:]*m$/;
// C0 controls but tab, DEL, C1 controls (including the 8-bit CSI, U+009B).
const controlCharacters = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;
const tabStop = 8;
const hasControl = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * Text from a platform made safe to print where no styling is wanted: escape sequences removed and
 * every other control character (bell, backspace, carriage return, C1 codes) replaced by a space.
 */
export function toPlainText(text: string): string {
	return stripAnsi(text).replaceAll(controlCharacters, ' ');
}

/**
 * Text from a platform made safe for the terminal while keeping its colours: SGR sequences (colour,
 * bold, underline…) survive; cursor moves, screen clears, title changes, OSC 52 clipboard writes and
 * every other control are removed, and tabs become spaces so widths stay predictable.
 */
export function sanitizeForTerminal(text: string): string {
	if (!hasControl.test(text)) {
		return text;
	}

	const kept = text.replaceAll('\u0000', '').replaceAll(escapeSequences, sequence => sgrSequence.test(sequence) ? sequence : '');
	const sgrHeld: string[] = [];
	// Hold the kept SGR sequences aside so the control-character pass cannot touch their ESC.
	const masked = kept.replaceAll(/\u001B\[[\d;:]*m/g, sequence => {
		sgrHeld.push(sequence);
		return '\u0000';
	});
	let column = 0;
	let result = '';
	for (const character of masked.replaceAll(/[\u0001-\u0008\u000A-\u001F\u007F-\u009F]/g, '')) {
		if (character === '\u0000') {
			result += sgrHeld.shift() ?? '';
		} else if (character === '\t') {
			const spaces = tabStop - (column % tabStop);
			result += ' '.repeat(spaces);
			column += spaces;
		} else {
			result += character;
			column++;
		}
	}

	return result;
}
