import {Box, type Key, useApp, useInput, usePaste, useStdin, useWindowSize} from 'ink';
import {useEffect, useReducer, useRef} from 'react';
import type {Provider} from '../../core/provider.js';
import {LineText} from '../components/line-text.js';
import {keyName} from '../keymap.js';
import type {HostKeyQuestion, SetupBackend} from './setup-backend.js';
import {findSetupBinding, type SetupCommand} from './setup-keys.js';
import {checkingText, checkStep, failureMessage} from './wizard-checks.js';
import {
	chosenOption, contextToSave, type Field, fieldText, initialWizardState, stepFields, toggleValue, wizardReducer, type WizardAction, type WizardState,
} from './wizard-model.js';
import {activeSetupScopes, wizardScreen} from './wizard-screen.js';

export type SetupOutcome = {
	/** The name of the context written, when one was. */
	saved?: string;
	/** The operator asked to open the console on it. */
	openConsole: boolean;
};

export type SetupWizardProps = {
	backend: SetupBackend;
	onExit(outcome: SetupOutcome): void;
	/** How long the migration plan may take (60 s). */
	planTimeoutMs?: number;
};

const sleep = async (ms: number) => new Promise<void>(resolve => {
	setTimeout(resolve, ms);
});

// Text a user can type or paste into a field: no control characters, no line breaks.
const printable = (input: string): string => input.replaceAll(/[\u0000-\u001F\u007F]/g, '');

/** The guided setup, full screen: one step at a time, each checked live before the next. */
export function SetupWizard({backend, onExit, planTimeoutMs}: SetupWizardProps) {
	const {columns, rows} = useWindowSize();
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const [state, dispatchState] = useReducer(wizardReducer, backend, ({environmentToken, environmentRenderKey}) => initialWizardState(environmentToken, environmentRenderKey));
	// Async checks and key bursts need the state as it is now, not as it was at the last render: every
	// action goes through dispatch below, which keeps this copy current.
	const latest = useRef(state);
	const session = useRef<{provider?: Provider}>({});
	const answer = useRef<((accepted: boolean) => void) | undefined>(undefined);

	// Leaving (or being unmounted) while a host key question is open declines it: the connection attempt ends.
	useEffect(() => () => {
		answer.current?.(false);
	}, []);

	const dispatch = (action: WizardAction) => {
		latest.current = wizardReducer(latest.current, action);
		dispatchState(action);
	};

	const finish = (outcome: SetupOutcome) => {
		answer.current?.(false);
		onExit(outcome);
		exit();
	};

	const reply = (accepted: boolean) => {
		const resolve = answer.current;
		answer.current = undefined;
		dispatch({type: 'answered'});
		resolve?.(accepted);
	};

	const ask = async (question: HostKeyQuestion) => new Promise<boolean>(resolve => {
		answer.current = resolve;
		dispatch({type: 'ask', question});
	});

	const startCheck = () => {
		const snapshot = latest.current;
		dispatch({type: 'check-start', text: checkingText(snapshot)});
		const {generation} = latest.current;
		const isCurrent = () => latest.current.busy?.generation === generation;
		void (async () => {
			if (snapshot.step === 'summary') {
				await save(snapshot, generation);
				return;
			}

			const result = await checkStep({
				state: snapshot,
				backend,
				session: session.current,
				progress: text => {
					dispatch({type: 'check-progress', generation, text});
				},
				ask,
				isCurrent,
				sleep,
				planTimeoutMs,
			});
			dispatch(result.ok
				? {type: 'check-passed', generation, data: result.data, message: result.message, advance: true}
				: {type: 'check-failed', generation, message: result.message});
		})();
	};

	const save = async (snapshot: WizardState, generation: number) => {
		const context = contextToSave(snapshot.data, backend.sandbox, backend.apiUrl);
		const name = snapshot.data.identity?.name;
		if (!context || !name) {
			dispatch({type: 'check-failed', generation, message: {tone: 'bad', text: '✖ Something is missing.', hint: 'Go back (esc) and answer every step.'}});
			return;
		}

		try {
			const token = snapshot.data.token?.from === 'pasted' ? snapshot.data.token.value : undefined;
			await backend.save({name, context, ...(token ? {token} : {})});
			dispatch({type: 'saved', generation, name});
		} catch (error) {
			dispatch({type: 'check-failed', generation, message: failureMessage(error)});
		}
	};

	const focusedField = (): Field | undefined => stepFields(latest.current)[latest.current.focus];
	const key = (field: Field) => `${latest.current.step}.${field.id}`;

	const moveFocus = (delta: number) => {
		const count = stepFields(latest.current).length;
		if (count > 0) {
			dispatch({type: 'focus', index: (latest.current.focus + delta + count) % count});
		}
	};

	const moveChoice = (field: Extract<Field, {kind: 'choice'}>, delta: 1 | -1) => {
		const enabled = field.options.filter(option => !option.disabled);
		const chosen = chosenOption(latest.current, latest.current.step, field);
		const next = enabled[(chosen ? enabled.indexOf(chosen) : 0) + delta];
		const fields = stepFields(latest.current);
		if (next) {
			dispatch({type: 'set', key: key(field), value: next.value});
		} else if (latest.current.focus + delta >= 0 && latest.current.focus + delta < fields.length) {
			// Past the end of the list: on to the next field.
			dispatch({type: 'focus', index: latest.current.focus + delta});
		}
	};

	const editText = (change: (text: string) => string) => {
		const field = focusedField();
		if (field?.kind === 'text') {
			dispatch({type: 'set', key: key(field), value: change(fieldText(latest.current, latest.current.step, field.id))});
		}
	};

	const run = (command: SetupCommand) => {
		const field = focusedField();
		switch (command) {
			case 'cancel': {
				finish({saved: latest.current.saved?.name, openConsole: false});
				break;
			}

			case 'continue': {
				startCheck();
				break;
			}

			case 'back': {
				if (latest.current.trail.length === 0) {
					finish({openConsole: false});
				} else {
					dispatch({type: 'back'});
				}

				break;
			}

			case 'next-field':
			case 'previous-field': {
				moveFocus(command === 'next-field' ? 1 : -1);
				break;
			}

			case 'down':
			case 'up': {
				if (field?.kind === 'choice') {
					moveChoice(field, command === 'down' ? 1 : -1);
				}

				break;
			}

			case 'toggle': {
				if (field?.kind === 'toggle') {
					dispatch({type: 'set', key: key(field), value: !toggleValue(latest.current, latest.current.step, field.id)});
				}

				break;
			}

			case 'erase': {
				editText(text => [...text].slice(0, -1).join(''));
				break;
			}

			case 'erase-all': {
				editText(() => '');
				break;
			}

			case 'stop-check': {
				answer.current?.(false);
				answer.current = undefined;
				dispatch({type: 'cancel-check'});
				break;
			}

			case 'accept':
			case 'decline': {
				reply(command === 'accept');
				break;
			}

			case 'switch': {
				dispatch({type: 'question-choice', choice: 'toggle'});
				break;
			}

			case 'press': {
				reply(latest.current.question?.choice === 'accept');
				break;
			}

			case 'open-console':
			case 'quit': {
				finish({saved: latest.current.saved?.name, openConsole: command === 'open-console'});
				break;
			}
		}
	};

	/** Typing or pasting with a choice focused goes to the step's text field (the token, after "Paste a token"). */
	const focusTextField = (): boolean => {
		if (focusedField()?.kind === 'text') {
			return true;
		}

		const index = stepFields(latest.current).findIndex(field => field.kind === 'text');
		if (index !== -1) {
			dispatch({type: 'focus', index});
		}

		return index !== -1;
	};

	const typeText = (input: string) => {
		// A burst (fast typing, a paste without bracketed paste) can end with the enter that submits it.
		const [typed = '', ...afterEnter] = input.split('\r');
		const clean = printable(typed);
		if (clean) {
			editText(text => text + clean);
		}

		if (afterEnter.length > 0) {
			run('continue');
		}
	};

	useInput((input: string, pressed: Key) => {
		const binding = findSetupBinding(activeSetupScopes(latest.current), keyName(input, pressed));
		if (binding) {
			run(binding.command);
			return;
		}

		const editing = !latest.current.busy && !latest.current.question && !latest.current.saved;
		if (editing && !pressed.ctrl && !pressed.meta && printable(input) !== '' && focusTextField()) {
			typeText(input);
		}
	}, {isActive: isRawModeSupported});

	usePaste(pasted => {
		if (!latest.current.busy && !latest.current.question && !latest.current.saved && focusTextField()) {
			editText(text => text + printable(pasted.trim()));
		}
	}, {isActive: isRawModeSupported});

	const lines = wizardScreen(state, {sandbox: backend.sandbox, apiUrl: backend.apiUrl, configPath: backend.configPath, secretsPath: backend.secretsPath}, columns, rows);
	return (
		<Box flexDirection="column" width={columns} height={rows} overflow="hidden">
			{/* An empty Text has no height: blank rows hold a space. */}
			{lines.map((line, index) => <LineText key={index} line={line.length === 0 ? [{text: ' '}] : line}/>)}
		</Box>
	);
}
