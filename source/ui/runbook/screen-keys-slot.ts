// One keyboard handler for the runbook and history screens, in place from the commit that shows a
// screen: a key typed as the screen appears goes to it, not to the dashboard hidden behind it (an
// effect-registered listener would miss keys that arrive before effects run).
import {type Key, useInput, useStdin} from 'ink';
import {createContext, type RefObject, useContext, useLayoutEffect} from 'react';

export type KeyHandler = (input: string, key: Key) => void;

export const ScreenKeysContext = createContext<RefObject<KeyHandler | undefined> | undefined>(undefined);

/** Listens for the shown screen; Screens renders it once, for as long as the console runs. */
export function useScreenKeysListener(slotRef: RefObject<KeyHandler | undefined>): void {
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => {
		slotRef.current?.(input, key);
	}, {isActive: isRawModeSupported});
}

/** Makes `handler` the one that gets the keys while this screen is shown (its own listener outside Screens). */
export function useScreenKeys(handler: KeyHandler): void {
	const slotRef = useContext(ScreenKeysContext);
	const {isRawModeSupported} = useStdin();
	useLayoutEffect(() => {
		if (slotRef) {
			slotRef.current = handler;
		}
	});
	useLayoutEffect(() => () => {
		if (slotRef) {
			slotRef.current = undefined;
		}
	}, [slotRef]);
	useInput(handler, {isActive: isRawModeSupported && !slotRef});
}
