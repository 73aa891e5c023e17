// Width-aware truncation and padding for one-line cells. Ink clips anything that still overflows,
// so an approximate width (code points, wide East Asian and emoji counted as two) is enough here.

const ellipsis = '…';

function isWide(codePoint: number): boolean {
	return (codePoint >= 0x11_00 && codePoint <= 0x11_5F)
		|| (codePoint >= 0x2E_80 && codePoint <= 0xA4_CF)
		|| (codePoint >= 0xAC_00 && codePoint <= 0xD7_A3)
		|| (codePoint >= 0xF9_00 && codePoint <= 0xFA_FF)
		|| (codePoint >= 0xFE_30 && codePoint <= 0xFE_4F)
		|| (codePoint >= 0xFF_00 && codePoint <= 0xFF_60)
		|| (codePoint >= 0xFF_E0 && codePoint <= 0xFF_E6)
		|| (codePoint >= 0x1_F3_00 && codePoint <= 0x1_FA_FF)
		|| (codePoint >= 0x2_00_00 && codePoint <= 0x3_FF_FD);
}

export function charWidth(character: string): number {
	return isWide(character.codePointAt(0) ?? 0) ? 2 : 1;
}

const asciiOnly = /^[\u0000-\u007F]*$/;

export const isAscii = (text: string): boolean => asciiOnly.test(text);

export function textWidth(text: string): number {
	if (isAscii(text)) {
		return text.length;
	}

	let width = 0;
	for (const character of text) {
		width += charWidth(character);
	}

	return width;
}

/** Cuts `text` to at most `width` columns, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (textWidth(text) <= width) {
		return text;
	}

	let result = '';
	let used = 0;
	for (const character of text) {
		const next = charWidth(character);
		if (used + next > width - 1) {
			break;
		}

		result += character;
		used += next;
	}

	return result + ellipsis;
}

export type Align = 'left' | 'right';

export function pad(text: string, width: number, align: Align = 'left'): string {
	const missing = width - textWidth(text);
	if (missing <= 0) {
		return text;
	}

	return align === 'right' ? ' '.repeat(missing) + text : text + ' '.repeat(missing);
}

/** Exactly `width` columns: truncated with `…` or padded with spaces. */
export function fit(text: string, width: number, align: Align = 'left'): string {
	return pad(truncate(text, width), width, align);
}

/**
 * Word-wrapped into at most `maxLines` lines of `width` columns; a word wider than a line is cut,
 * and the last line ends in `…` when text is left over.
 */
export function wrapWords(text: string, width: number, maxLines: number): string[] {
	const lines: string[] = [];
	let current = '';
	const words = text.split(/\s+/).filter(Boolean);
	for (const [index, word] of words.entries()) {
		const candidate = current ? `${current} ${word}` : word;
		if (textWidth(candidate) <= width || !current) {
			current = candidate;
			continue;
		}

		if (lines.length === maxLines - 1) {
			return [...lines, truncate(`${current} ${words.slice(index).join(' ')}`, width)];
		}

		lines.push(truncate(current, width));
		current = word;
	}

	return [...lines, truncate(current, width)].slice(0, maxLines);
}

/** One line of text: newlines and tabs from platform data must never break the layout. */
export function singleLine(text: string): string {
	return text.replaceAll(/[\r\n\t]+/g, ' ');
}
