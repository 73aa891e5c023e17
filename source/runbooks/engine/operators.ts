import {createInterface, type Interface} from 'node:readline';
import type {ChoiceRequest, ConfirmRequest, Operator} from '../types.js';
import {yesConfirms} from './confirmation.js';

export type AskRequest = Parameters<Operator['ask']>[0];

export type Question =
	| {type: 'confirm'; request: ConfirmRequest}
	| {type: 'choose'; request: ChoiceRequest}
	| {type: 'ask'; request: AskRequest};

/**
 * `--yes`: confirms every step except a destructive step's typed confirmation, which needs `confirmText`
 * to be exactly the name asked for (`--yes --confirm NAME`). After a failure it chooses nothing (stop);
 * a typed override gets `confirmText`, if any.
 */
export function yesOperator(options: {name: string; confirmText?: string}): Operator {
	return {
		name: options.name,
		async confirm(request) {
			return yesConfirms(request, options.confirmText);
		},
		async choose() {
			return undefined;
		},
		async ask() {
			return options.confirmText;
		},
	};
}

export type PromptOperator = Operator & {
	/** Stops reading the input (call when the run is over, or the process will not exit). */
	close(): void;
};

/**
 * Questions on a terminal, one line each; every default is the safe answer. Meant for a TTY: the CLI
 * refuses to run a mutating runbook without one unless --yes is given. End of input answers "no".
 */
export function promptOperator(options: {name: string; input: NodeJS.ReadableStream; output: NodeJS.WritableStream}): PromptOperator {
	const {output} = options;
	const lines = new LineReader(options.input, output);
	const show = (title: string, body: string[]) => {
		output.write(`\n${title}\n${body.map(line => `  ${line}\n`).join('')}`);
	};

	return {
		name: options.name,
		async confirm(request) {
			show(request.title, request.lines);
			if (request.typeToConfirm !== undefined) {
				const typed = await lines.question(`Type ${request.typeToConfirm} to confirm: `);
				return typed?.trim() === request.typeToConfirm;
			}

			const answer = await lines.question('Type yes to run this step [no]: ');
			return /^y(?:es)?$/i.test(answer?.trim() ?? '');
		},
		async choose(request) {
			show(request.title, request.lines);
			request.actions.forEach((action, index) => {
				output.write(`  ${index + 1}) ${action.label}${action.explanation ? ` — ${action.explanation}` : ''}\n`);
			});
			output.write(`  s) ${request.stopLabel ?? 'stop'}\n`);
			for (;;) {
				const answer = (await lines.question(`Choose 1-${request.actions.length} or s [s]: `))?.trim().toLowerCase();
				if (answer === undefined || answer === '' || answer === 's' || answer === 'stop') {
					return undefined;
				}

				const chosen = request.actions[Number(answer) - 1];
				if (/^\d+$/.test(answer) && chosen) {
					return chosen.id;
				}

				output.write(`"${answer}" is not one of the choices.\n`);
			}
		},
		async ask(request) {
			show(request.title, request.lines);
			const typed = (await lines.question(`Type ${request.expect} to go on, or nothing to cancel: `))?.trim();
			return typed ? typed : undefined;
		},
		close() {
			lines.close();
		},
	};
}

/** Lines of input, queued as they arrive so none is lost between questions; undefined once input ends. */
class LineReader {
	private reader: Interface | undefined;
	private readonly queued: string[] = [];
	private readonly waiting: Array<(line: string | undefined) => void> = [];
	private ended = false;

	constructor(private readonly input: NodeJS.ReadableStream, private readonly output: NodeJS.WritableStream) {}

	async question(prompt: string): Promise<string | undefined> {
		this.output.write(prompt);
		this.open();
		const line = this.queued.shift();
		if (line !== undefined || this.ended) {
			return line;
		}

		return new Promise(resolve => {
			this.waiting.push(resolve);
		});
	}

	close(): void {
		this.reader?.close();
	}

	private open(): void {
		if (this.reader || this.ended) {
			return;
		}

		const terminal = (this.input as {isTTY?: boolean}).isTTY === true;
		this.reader = createInterface({input: this.input, output: terminal ? this.output : undefined, terminal});
		this.reader.on('line', line => {
			const waiter = this.waiting.shift();
			if (waiter) {
				waiter(line);
			} else {
				this.queued.push(line);
			}
		});
		this.reader.on('close', () => {
			this.ended = true;
			for (const waiter of this.waiting.splice(0)) {
				waiter(undefined);
			}
		});
	}
}

export type QueueOperator = Operator & {
	/** The question waiting for an answer, if any (the runner also shows it as RunView.pending). */
	readonly current: Question | undefined;
	/** Resolves with the next question (at once when one is waiting). */
	next(): Promise<Question>;
	/** Answers the waiting question: a boolean for confirm, an action id (or undefined = stop) for choose, words for ask. */
	answer(value: boolean | string | undefined): void;
};

/**
 * An operator whose questions wait to be answered from elsewhere: the TUI's dialogs, or a test. One
 * question at a time; a new question cancels one left unanswered (the runner gave up on it).
 */
export function queueOperator(options: {name: string}): QueueOperator {
	let waiting: {question: Question; resolve: (value: boolean | string | undefined) => void} | undefined;
	let watchers: Array<(question: Question) => void> = [];

	const put = async (question: Question): Promise<boolean | string | undefined> => {
		waiting?.resolve(question.type === 'confirm' ? false : undefined);
		return new Promise(resolve => {
			waiting = {question, resolve};
			const notify = watchers;
			watchers = [];
			for (const watcher of notify) {
				watcher(question);
			}
		});
	};

	return {
		name: options.name,
		get current() {
			return waiting?.question;
		},
		async confirm(request) {
			return (await put({type: 'confirm', request})) === true;
		},
		async choose(request) {
			const answer = await put({type: 'choose', request});
			return typeof answer === 'string' ? answer : undefined;
		},
		async ask(request) {
			const answer = await put({type: 'ask', request});
			return typeof answer === 'string' ? answer : undefined;
		},
		async next() {
			if (waiting) {
				return waiting.question;
			}

			return new Promise(resolve => {
				watchers.push(resolve);
			});
		},
		answer(value) {
			if (!waiting) {
				throw new Error('There is no question waiting for an answer.');
			}

			if ((waiting.question.type === 'confirm') !== (typeof value === 'boolean')) {
				throw new TypeError(`A ${waiting.question.type} question cannot be answered with ${JSON.stringify(value)}.`);
			}

			const {resolve} = waiting;
			waiting = undefined;
			resolve(value);
		},
	};
}
