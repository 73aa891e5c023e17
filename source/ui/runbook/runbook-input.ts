// What the runbook screen's keys do. The keymap (screenBindings) says which command a key means in
// the current mode: a question takes every key (ctrl-c still quits), then help, then the screen.
import type {Key} from 'ink';
import type {Dispatch} from 'react';
import {findBinding, keyName, type KeyCommand, noFeatures, type Scope} from '../keymap.js';
import {shownStepId} from './plan-lines.js';
import {choiceCount, highlightOf} from './run-dialog-lines.js';
import type {RunSource} from './run-source.js';
import {screenKeymap} from './screen-keys.js';
import type {RunSnapshot} from './run-view-store.js';
import {
	activeQuestion, dialogOf, type Question, type QuestionForm, questionForm, type RunbookScreenAction,
	runbookScreenReducer, type RunbookScreenState,
} from './runbook-screen-state.js';

export type RunbookInputContext = {
	snapshot: RunSnapshot;
	state: RunbookScreenState;
	dispatch: Dispatch<RunbookScreenAction>;
	source: RunSource;
	/** How far the help can scroll, and one page of it. */
	help: {maxScroll: number; page: number};
	/** Back to the dashboard. */
	back(): void;
	quit(): void;
};

/** Which scopes answer, highest priority first. */
export function runbookScopes(form: QuestionForm | undefined, state: RunbookScreenState): Scope[] {
	if (form) {
		return ['always', form.form === 'buttons' ? 'runbook-dialog' : (form.form === 'typed' ? 'runbook-typed' : 'runbook-choice')];
	}

	return state.help ? ['always', 'help', 'navigation'] : ['always', 'runbook'];
}

type Asked = {question: Question; form: QuestionForm};

function asked(context: RunbookInputContext): Asked | undefined {
	const question = activeQuestion(context.snapshot, context.state);
	return question && {question, form: questionForm(question)};
}

function answerEngine(context: RunbookInputContext, question: Extract<Question, {from: 'engine'}>, value: boolean | string | undefined, status?: string): void {
	context.dispatch({type: 'answered', id: question.id});
	context.dispatch({type: 'status', status: status ? {tone: 'muted', text: status} : undefined});
	context.source.answer(value);
}

function confirm(context: RunbookInputContext, {question, form}: Asked, typed?: string): void {
	if (question.from === 'screen') {
		context.dispatch({type: 'ask', question: undefined});
		if (question.id === 'stop') {
			context.dispatch({type: 'status', status: {tone: 'busy', text: 'Stopping after the current step…'}});
			context.source.stop();
		} else {
			context.back();
		}

		return;
	}

	// An `ask` wants the words typed; a confirmation, yes.
	answerEngine(context, question, question.pending.type === 'ask' && form.form === 'typed' ? typed : true);
}

function cancel(context: RunbookInputContext, {question}: Asked): void {
	if (question.from === 'screen') {
		context.dispatch({type: 'ask', question: undefined});
		context.dispatch({type: 'status', status: question.id === 'stop' ? {tone: 'muted', text: 'Not stopping; the run goes on.'} : undefined});
		return;
	}

	switch (question.pending.type) {
		case 'confirm': {
			answerEngine(context, question, false, 'Cancelled; the step was not run.');
			break;
		}

		case 'ask': {
			answerEngine(context, question, undefined, 'Cancelled.');
			break;
		}

		case 'choose': {
			answerEngine(context, question, undefined, 'Stopping here.');
			break;
		}
	}
}

function pickStep(context: RunbookInputContext, delta: number): void {
	const {plan} = context.snapshot.view;
	const current = plan.findIndex(step => step.id === shownStepId(context.snapshot.view, context.state.picked));
	const next = plan[Math.min(Math.max(0, current + delta), plan.length - 1)];
	if (next) {
		context.dispatch({type: 'pick', id: next.id});
	}
}

function scrollHelp(context: RunbookInputContext, command: KeyCommand): void {
	const {help} = context.state;
	if (!help) {
		return;
	}

	const {maxScroll, page} = context.help;
	const targets: Partial<Record<KeyCommand, number>> = {
		down: help.scroll + 1, up: help.scroll - 1, 'page-down': help.scroll + page, 'page-up': help.scroll - page, top: 0, bottom: maxScroll,
	};
	const to = targets[command];
	if (to !== undefined) {
		context.dispatch({type: 'help-scroll', to: Math.min(to, maxScroll)});
	}
}

type DialogPatch = Extract<RunbookScreenAction, {type: 'dialog'}>['patch'];

const dialogPatch = (current: Asked, patch: DialogPatch): RunbookScreenAction => ({type: 'dialog', question: current.question.id, patch});

function updateDialog(context: RunbookInputContext, current: Asked, patch: DialogPatch): void {
	context.dispatch(dialogPatch(current, patch));
}

function runQuestionCommand(context: RunbookInputContext, current: Asked, command: KeyCommand, input: string): void {
	const dialog = dialogOf(context.state, current.question);
	const {form} = current;
	switch (command) {
		case 'runbook-confirm': {
			confirm(context, current);
			break;
		}

		case 'runbook-cancel':
		case 'runbook-typed-cancel':
		case 'runbook-choice-stop': {
			cancel(context, current);
			break;
		}

		case 'runbook-switch': {
			updateDialog(context, current, {choice: dialog.choice === 'cancel' ? 'confirm' : 'cancel'});
			break;
		}

		case 'runbook-press': {
			if (dialog.choice === 'confirm') {
				confirm(context, current);
			} else {
				cancel(context, current);
			}

			break;
		}

		case 'runbook-typed-submit': {
			if (form.form === 'typed' && dialog.typed === form.expect) {
				confirm(context, current, dialog.typed);
			} else {
				updateDialog(context, current, {mismatch: true});
			}

			break;
		}

		case 'erase': {
			updateDialog(context, current, {typed: [...dialog.typed].slice(0, -1).join(''), mismatch: false});
			break;
		}

		case 'erase-all': {
			updateDialog(context, current, {typed: '', mismatch: false});
			break;
		}

		case 'runbook-choice-down':
		case 'runbook-choice-up':
		case 'runbook-choice-number': {
			if (form.form !== 'choice') {
				break;
			}

			const count = choiceCount(form);
			const from = highlightOf(form, dialog);
			const to = command === 'runbook-choice-number' ? Number(input) - 1 : from + (command === 'runbook-choice-down' ? 1 : -1);
			if (to >= 0 && to < count) {
				updateDialog(context, current, {highlight: to});
			}

			break;
		}

		case 'runbook-choice-pick': {
			if (form.form === 'choice' && current.question.from === 'engine') {
				const action = form.request.actions[highlightOf(form, dialog)];
				if (action) {
					answerEngine(context, current.question, action.id);
				} else {
					cancel(context, current);
				}
			}

			break;
		}

		default: {
			break;
		}
	}
}

function runCommand(context: RunbookInputContext, command: KeyCommand, input: string): void {
	if (command === 'quit-now') {
		context.quit();
		return;
	}

	const current = asked(context);
	if (current) {
		runQuestionCommand(context, current, command, input);
		return;
	}

	const {done} = context.snapshot.view;
	switch (command) {
		case 'runbook-step-down':
		case 'runbook-step-up': {
			pickStep(context, command === 'runbook-step-down' ? 1 : -1);
			break;
		}

		case 'runbook-pane': {
			context.dispatch({type: 'toggle-journal'});
			break;
		}

		case 'runbook-stop': {
			context.dispatch(done
				? {type: 'status', status: {tone: 'muted', text: 'The run has ended; there is nothing to stop.'}}
				: {type: 'ask', question: 'stop'});
			break;
		}

		case 'runbook-back': {
			if (done) {
				context.back();
			} else {
				context.dispatch({type: 'ask', question: 'leave'});
			}

			break;
		}

		case 'runbook-help': {
			context.dispatch({type: 'help', open: true});
			break;
		}

		case 'close-help': {
			context.dispatch({type: 'help', open: false});
			break;
		}

		default: {
			scrollHelp(context, command);
		}
	}
}

// Text and control characters a user can type into the field.
const printable = (input: string): string => input.replaceAll(/[\u0000-\u001F\u007F]/g, '');

function typeText(context: RunbookInputContext, current: Asked, input: string): void {
	// A burst can hold the name and the Enter that ends it (a paste, fast typing over SSH).
	const [text = '', ...afterEnter] = input.split('\r');
	const typed = printable(text);
	let state = context.state;
	if (typed) {
		const action = dialogPatch(current, {typed: dialogOf(state, current.question).typed + typed, mismatch: false});
		context.dispatch(action);
		state = runbookScreenReducer(state, action);
	}

	if (afterEnter.length > 0) {
		runQuestionCommand({...context, state}, current, 'runbook-typed-submit', '');
	}
}

/** The screen's one keyboard handler. */
export function handleRunbookKey(context: RunbookInputContext, input: string, key: Key): void {
	const current = asked(context);
	const scopes = runbookScopes(current?.form, context.state);
	const binding = findBinding(scopes, keyName(input, key), noFeatures, screenKeymap);
	if (binding) {
		runCommand(context, binding.command, input);
		return;
	}

	if (key.ctrl || key.meta) {
		return;
	}

	if (current?.form.form === 'typed') {
		typeText(context, current, input);
		return;
	}

	// Keys typed faster than they are read arrive together ("jjj"): one at a time, each seeing the
	// state the ones before it left.
	const characters = [...input];
	if (characters.length <= 1) {
		return;
	}

	let each = context;
	const dispatch = (action: RunbookScreenAction) => {
		context.dispatch(action);
		each = {...each, state: runbookScreenReducer(each.state, action)};
	};

	each = {...context, dispatch};
	for (const character of characters) {
		const found = findBinding(runbookScopes(asked(each)?.form, each.state), character, noFeatures, screenKeymap);
		if (found) {
			runCommand(each, found.command, character);
		}
	}
}
