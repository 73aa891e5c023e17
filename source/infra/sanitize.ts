import stripAnsi from 'strip-ansi';

/**
 * Text from a platform made safe to print where no styling is wanted: escape sequences removed and
 * every other control character (bell, backspace, carriage return, C1 codes) replaced by a space.
 */
export function toPlainText(text: string): string {
	return stripAnsi(text).replaceAll(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g, ' ');
}
