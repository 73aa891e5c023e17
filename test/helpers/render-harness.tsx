// Renders an Ink tree into a fake terminal of FIXED size and reads the screen back through a real
// terminal emulator (@xterm/headless), so a frame is exactly what a user would see: cursor moves,
// erased lines and the alternate screen included. Keys go in through a raw-mode-capable fake stdin.
import {PassThrough, Writable} from 'node:stream';
import xterm from '@xterm/headless';
import {type Instance, render, type RenderOptions} from 'ink';
import type {ReactNode} from 'react';
import {fullScreenRenderOptions} from '../../source/ui/terminal.js';

export type HarnessOptions = {
	columns?: number;
	rows?: number;
	/** Overrides of the console's own full-screen render options (terminal.ts). */
	render?: Partial<RenderOptions>;
};

/** Raw bytes for named keys; anything else is typed literally. */
export const keyBytes: Record<string, string> = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	home: '\u001B[H',
	end: '\u001B[F',
	pageup: '\u001B[5~',
	pagedown: '\u001B[6~',
	enter: '\r',
	esc: '\u001B',
	tab: '\t',
	'shift+tab': '\u001B[Z',
	backspace: '\u007F',
	space: ' ',
	'ctrl+c': '\u0003',
	'ctrl+u': '\u0015',
	'ctrl+f': '\u0006',
	'ctrl+b': '\u0002',
	'ctrl+d': '\u0004',
};

class FakeTtyOutput extends Writable {
	readonly isTTY = true;
	columns: number;
	rows: number;
	bytesWritten = 0;
	chunks: string[] = [];
	lastWriteAt = 0;

	constructor(columns: number, rows: number, private readonly sink: (chunk: string) => void) {
		super({decodeStrings: false});
		this.columns = columns;
		this.rows = rows;
	}

	override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
		this.bytesWritten += Buffer.byteLength(text);
		this.chunks.push(text);
		this.lastWriteAt = performance.now();
		this.sink(text);
		callback();
	}

	getColorDepth(): number {
		return 8;
	}

	hasColors(): boolean {
		return true;
	}
}

class FakeTtyInput extends PassThrough {
	readonly isTTY = true;
	isRaw = false;
	/** Every setRawMode call, in order: who took the keyboard and who gave it back. */
	readonly rawModes: boolean[] = [];

	setRawMode(mode: boolean): this {
		this.isRaw = mode;
		this.rawModes.push(mode);
		return this;
	}

	ref(): this {
		return this;
	}

	unref(): this {
		return this;
	}
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

export type CellStyle = {
	/** ANSI palette index of the foreground (1 red, 2 green, 3 yellow, 6 cyan), or undefined for the default. */
	foreground?: number;
	bold: boolean;
	dim: boolean;
	inverse: boolean;
};

export type Harness = {
	/** What the terminal shows now: lines right-trimmed, trailing blank lines dropped. */
	frame(): string;
	/** Every row of the screen, right-trimmed (always `rows` entries). */
	lines(): string[];
	/** Which screen the terminal shows: the console's alternate screen, or the normal one (a shell, the user's scrollback). */
	screen(): 'normal' | 'alternate';
	/** Rows that are the continuation of a line the terminal had to wrap: text that did not fit. */
	wrappedRows(): number[];
	/** Colour and attributes of the first cell of `text` on screen, or undefined if it is not shown. */
	styleOf(text: string): CellStyle | undefined;
	/** Presses keys one at a time (`'j'`, `'down'`, `'shift+tab'`, `'ctrl+c'`) and waits for the screen to settle. */
	press(...keys: string[]): Promise<void>;
	/** Types text as one burst, as a fast typist or a paste would. */
	type(text: string): Promise<void>;
	/** Waits until the frame contains `text` (or the predicate holds); returns that frame. */
	waitFor(expected: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
	/** Waits until nothing has been written for a little while and the emulator caught up. */
	settle(): Promise<void>;
	resize(columns: number, rows: number): Promise<void>;
	unmount(): Promise<void>;
	/** Total bytes Ink wrote to the terminal so far. */
	readonly bytesWritten: number;
	/** Everything written, escape sequences included. */
	output(): string;
	readonly columns: number;
	readonly rows: number;
	readonly instance: Instance;
	readonly stdin: FakeTtyInput;
	readonly stdout: FakeTtyOutput;
};

const inputFlushMs = 25;
const quietMs = 20;

export function renderHarness(node: ReactNode, options: HarnessOptions = {}): Harness {
	let columns = options.columns ?? 80;
	let rows = options.rows ?? 24;
	// convertEol: a real TTY driver turns Ink's "\n" into "\r\n" (ONLCR).
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true, scrollback: 0, convertEol: true});
	let pending = 0;
	const stdout = new FakeTtyOutput(columns, rows, chunk => {
		pending++;
		terminal.write(chunk, () => {
			pending--;
		});
	});
	const stderr = new FakeTtyOutput(columns, rows, () => undefined);
	const stdin = new FakeTtyInput();
	stdin.setEncoding('utf8');

	// The console's own options (alternate screen, incremental rendering, ctrl-c handled by the app).
	const instance = render(node, {
		...fullScreenRenderOptions({
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: stderr as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
		}),
		...options.render,
	});

	// Rows are read from the top of the viewport: a buffer can hold lines above it (xterm.js keeps some
	// in an alternate screen resized while it was not shown).
	const lines = (): string[] => {
		const buffer = terminal.buffer.active;
		return Array.from({length: rows}, (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true).replace(/\s+$/, '') ?? '');
	};

	const wrappedRows = (): number[] => {
		const buffer = terminal.buffer.active;
		return Array.from({length: rows}, (_, row) => row).filter(row => buffer.getLine(buffer.viewportY + row)?.isWrapped);
	};

	const styleOf = (text: string): CellStyle | undefined => {
		const buffer = terminal.buffer.active;
		for (let row = 0; row < rows; row++) {
			const line = buffer.getLine(buffer.viewportY + row);
			if (!line) {
				continue;
			}

			// One entry per character on screen; the second half of a wide character has width 0.
			const cells = Array.from({length: columns}, (_, column) => line.getCell(column))
				.filter(cell => cell !== undefined && cell.getWidth() > 0)
				.map(cell => ({cell: cell!, chars: cell!.getChars() || ' '}));
			const index = cells.map(entry => entry.chars).join('').indexOf(text);
			if (index === -1) {
				continue;
			}

			let offset = 0;
			const found = cells.find(entry => {
				const here = offset === index;
				offset += entry.chars.length;
				return here;
			})?.cell;
			if (found) {
				return {
					foreground: found.isFgPalette() ? found.getFgColor() : undefined,
					bold: found.isBold() !== 0,
					dim: found.isDim() !== 0,
					inverse: found.isInverse() !== 0,
				};
			}
		}

		return undefined;
	};

	const frame = (): string => {
		const all = lines();
		while (all.length > 0 && all.at(-1) === '') {
			all.pop();
		}

		return all.join('\n');
	};

	const drained = async () => {
		while (pending > 0) {
			await sleep(1);
		}
	};

	const settle = async () => {
		// Ink holds a lone ESC for 20 ms to see whether an escape sequence follows.
		await sleep(inputFlushMs);
		await instance.waitUntilRenderFlush();
		const deadline = performance.now() + 2000;
		while (performance.now() < deadline && performance.now() - stdout.lastWriteAt < quietMs) {
			await sleep(quietMs / 2);
		}

		await drained();
	};

	const write = async (data: string) => {
		stdin.write(data);
		await settle();
	};

	const harness: Harness = {
		frame,
		lines,
		screen: () => terminal.buffer.active.type,
		wrappedRows,
		styleOf,
		async press(...keys) {
			for (const key of keys) {
				await write(keyBytes[key] ?? key);
			}
		},
		async type(text) {
			await write(text);
		},
		async waitFor(expected, timeoutMs = 3000) {
			const matches = typeof expected === 'function'
				? expected
				: (current: string) => (typeof expected === 'string' ? current.includes(expected) : expected.test(current));
			const deadline = performance.now() + timeoutMs;
			for (;;) {
				await drained();
				const current = frame();
				if (matches(current)) {
					return current;
				}

				if (performance.now() > deadline) {
					throw new Error(`Timed out waiting for ${String(expected)}; the screen shows:\n${current}`);
				}

				await sleep(10);
			}
		},
		settle,
		async resize(newColumns, newRows) {
			columns = newColumns;
			rows = newRows;
			terminal.resize(columns, rows);
			stdout.columns = columns;
			stdout.rows = rows;
			stdout.emit('resize');
			await settle();
		},
		async unmount() {
			instance.unmount();
			await instance.waitUntilExit().catch(() => undefined);
			await drained();
			terminal.dispose();
		},
		get bytesWritten() {
			return stdout.bytesWritten;
		},
		output: () => stdout.chunks.join(''),
		get columns() {
			return columns;
		},
		get rows() {
			return rows;
		},
		instance,
		stdin,
		stdout,
	};
	return harness;
}
