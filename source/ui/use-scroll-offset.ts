import {useState} from 'react';

/** The first visible row that keeps `index` on screen while moving the window as little as possible. */
export function keepVisible(offset: number, index: number, height: number, total: number): number {
	if (height <= 0) {
		return 0;
	}

	let next = Math.min(offset, Math.max(0, total - height));
	if (index >= 0 && index < next) {
		next = index;
	} else if (index >= next + height) {
		next = index - height + 1;
	}

	return Math.max(0, next);
}

/** Scroll position of a list window; remembered so moving up does not jump the list. */
export function useScrollOffset(index: number, height: number, total: number): number {
	const [offset, setOffset] = useState(0);
	const next = keepVisible(offset, index, height, total);
	if (next !== offset) {
		// Adjusting state during render is React's pattern for state derived from changing props.
		setOffset(next);
	}

	return next;
}
