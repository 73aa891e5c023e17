// What the runbook screen remembers between key presses, and which question (if any) it shows.
import type {ChoiceRequest, ConfirmRequest, RunView} from '../../runbooks/types.js';
import type {StatusMessage} from '../ui-state.js';
import type {RunSnapshot} from './run-view-store.js';

/** Questions the screen asks itself: stop after the current step; leave while the run goes on. */
export type LocalQuestion = 'stop' | 'leave';

type Pending = NonNullable<RunView['pending']>;

/** The question on screen: from the engine (until answered), else the screen's own. */
export type Question =
	| {from: 'engine'; id: number; pending: Pending}
	| {from: 'screen'; id: LocalQuestion};

/** How the question is asked: buttons, a typed name, or a list of next actions. */
export type QuestionForm =
	| {form: 'buttons'; title: string; lines: string[]; impact?: ConfirmRequest['impact']; confirm: string}
	| {form: 'typed'; title: string; lines: string[]; expect: string}
	| {form: 'choice'; request: ChoiceRequest};

/** The state of the dialog of one question; a new question starts afresh (Cancel focused, nothing typed). */
export type DialogState = {
	question: Question['id'];
	choice: 'cancel' | 'confirm';
	typed: string;
	/** Index into the choice list; the last entry is "Stop here", where it starts. */
	highlight?: number;
	/** Enter was pressed with text that does not match. */
	mismatch: boolean;
};

export type RunbookScreenState = {
	/** The step whose preview shows, once the user moved; undefined follows the run. */
	picked?: string;
	journal: boolean;
	help?: {scroll: number};
	local?: LocalQuestion;
	dialog?: DialogState;
	/** The engine question already answered: hidden until the engine asks the next one. */
	answered?: number;
	status?: StatusMessage;
};

export const initialRunbookScreenState: RunbookScreenState = {journal: false};

export type RunbookScreenAction =
	| {type: 'pick'; id: string | undefined}
	| {type: 'toggle-journal'}
	| {type: 'help'; open: boolean}
	| {type: 'help-scroll'; to: number}
	| {type: 'ask'; question: LocalQuestion | undefined}
	| {type: 'dialog'; question: Question['id']; patch: Partial<Omit<DialogState, 'question'>>}
	| {type: 'answered'; id: number}
	| {type: 'status'; status: StatusMessage | undefined};

export function activeQuestion(snapshot: RunSnapshot, state: RunbookScreenState): Question | undefined {
	const {pending} = snapshot.view;
	if (pending && state.answered !== snapshot.questionId) {
		return {from: 'engine', id: snapshot.questionId, pending};
	}

	return state.local ? {from: 'screen', id: state.local} : undefined;
}

export function dialogOf(state: RunbookScreenState, question: Question): DialogState {
	return state.dialog?.question === question.id
		? state.dialog
		: {question: question.id, choice: 'cancel', typed: '', mismatch: false};
}

const localForms: Record<LocalQuestion, QuestionForm> = {
	stop: {form: 'buttons', title: 'Stop after the current step?', lines: ['The step that is running finishes; no further step starts.', 'The journal records where the run stopped.'], confirm: 'Stop'},
	leave: {form: 'buttons', title: 'Leave this screen?', lines: ['The run keeps going on the platform; leave?', 'Its questions wait for you: :release, :rollback or :backup brings you back.'], confirm: 'Leave'},
};

export function questionForm(question: Question): QuestionForm {
	if (question.from === 'screen') {
		return localForms[question.id];
	}

	const {pending} = question;
	switch (pending.type) {
		case 'confirm': {
			const {request} = pending;
			return request.typeToConfirm === undefined
				? {form: 'buttons', title: request.title, lines: request.lines, impact: request.impact, confirm: 'Run step'}
				: {form: 'typed', title: request.title, lines: request.lines, expect: request.typeToConfirm};
		}

		case 'ask': {
			return {form: 'typed', ...pending.request};
		}

		case 'choose': {
			return {form: 'choice', request: pending.request};
		}
	}
}

export function runbookScreenReducer(state: RunbookScreenState, action: RunbookScreenAction): RunbookScreenState {
	switch (action.type) {
		case 'pick': {
			return {...state, picked: action.id};
		}

		case 'toggle-journal': {
			return {...state, journal: !state.journal};
		}

		case 'help': {
			return {...state, help: action.open ? {scroll: 0} : undefined};
		}

		case 'help-scroll': {
			return state.help ? {...state, help: {scroll: Math.max(0, action.to)}} : state;
		}

		case 'ask': {
			return {...state, local: action.question, dialog: undefined};
		}

		case 'dialog': {
			const current = state.dialog?.question === action.question
				? state.dialog
				: {question: action.question, choice: 'cancel' as const, typed: '', mismatch: false};
			return {...state, dialog: {...current, ...action.patch}};
		}

		case 'answered': {
			return {...state, answered: action.id, dialog: undefined};
		}

		case 'status': {
			return {...state, status: action.status};
		}
	}
}
