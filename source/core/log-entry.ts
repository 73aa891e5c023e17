// A log line as the viewer holds it: made safe for the terminal once, on arrival, with its level
// found and, for a JSON line, a readable one-line rendering next to the raw text.
import {sanitizeForTerminal} from '../infra/sanitize.js';
import type {LogLine} from './logs.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export type LogEntry = {
	/** Index of the stream in the store's sources (merged views colour and prefix by it). */
	source: number;
	container: string;
	/** ms since the epoch, as the platform says. */
	timestamp: number;
	level?: LogLevel;
	/** What the viewer shows: the sanitised line (SGR colour kept), or a JSON line's readable rendering. */
	text: string;
	/** `text` without its colour codes, when it has any (search, filter, save and copy read this). */
	plain?: string;
	/** A JSON line's original text, sanitised, for the raw toggle; absent for other lines. */
	raw?: string;
};

/** The text of an entry as shown (readable or raw), with or without its colour codes. */
export function entryText(entry: LogEntry, raw: boolean): string {
	return raw && entry.raw !== undefined ? entry.raw : entry.text;
}

export function entryPlainText(entry: LogEntry, raw: boolean): string {
	// A parsed JSON line cannot hold raw control characters, so its raw text never has colour codes.
	return raw && entry.raw !== undefined ? entry.raw : (entry.plain ?? entry.text);
}

const levelWords: Record<string, LogLevel> = {
	emerg: 'error',
	emergency: 'error',
	alert: 'error',
	crit: 'error',
	critical: 'error',
	fatal: 'error',
	panic: 'error',
	error: 'error',
	err: 'error',
	exception: 'error',
	warn: 'warn',
	warning: 'warn',
	notice: 'info',
	info: 'info',
	information: 'info',
	debug: 'debug',
	trace: 'debug',
	verbose: 'debug',
};

/** A level field's value: a word (`"warning"`) or a pino/bunyan number (50 = error). */
function levelOfValue(value: unknown): LogLevel | undefined {
	if (typeof value === 'number') {
		return value >= 50 ? 'error' : (value >= 40 ? 'warn' : (value >= 30 ? 'info' : 'debug'));
	}

	return typeof value === 'string' ? levelWords[value.toLowerCase()] : undefined;
}

// An access-log request line (gunicorn, nginx): the status code after the quoted request decides.
const accessLogStatus = /"[A-Z]{3,7} [^"]* HTTP\/[\d.]+" ([1-5])\d\d\b/;
// The leftmost level word wins: `[INFO] ... ERROR in the message` is an info line.
const levelWord = /\b(?:(EMERG|ALERT|CRIT(?:ICAL)?|FATAL|PANIC|ERROR|ERR|Traceback)|(WARN(?:ING)?)|(INFO|NOTICE)|(DEBUG|TRACE))\b/;
const logfmtLevel = /\b(?:level|lvl|severity)=["']?(\w+)/i;
const exceptionLine = /^(?:[\w.]+(?:Error|Exception|Exit|Interrupt)\b|During handling of the above exception|The above exception was)/;

/** The level of a plain-text line, or undefined when it does not say. */
export function detectTextLevel(plain: string): LogLevel | undefined {
	const status = accessLogStatus.exec(plain);
	if (status) {
		return status[1] === '5' ? 'error' : (status[1] === '4' ? 'warn' : 'info');
	}

	const word = levelWord.exec(plain);
	if (word) {
		return word[1] ? 'error' : (word[2] ? 'warn' : (word[3] ? 'info' : 'debug'));
	}

	const logfmt = logfmtLevel.exec(plain);
	if (logfmt) {
		return levelOfValue(logfmt[1]);
	}

	return exceptionLine.test(plain) ? 'error' : undefined;
}

const levelKeys = ['level', 'levelname', 'severity', 'lvl', 'loglevel', 'log.level'];
const loggerKeys = ['logger', 'logger_name', 'name', 'module', 'component'];
const messageKeys = ['msg', 'message', 'event', 'text'];
// The platform's own timestamp is shown by the `t` toggle; the line's copy only takes room.
const timeKeys = new Set(['time', 'timestamp', 'ts', '@timestamp', 'asctime', 'datetime', 'date']);
const levelLabels: Record<LogLevel, string> = {error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG'};

function firstKey(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
	for (const key of keys) {
		const value = record[key];
		if (value !== undefined && value !== null && typeof value !== 'object') {
			return key;
		}
	}

	return undefined;
}

const oneLine = (text: string): string => (text.includes('\n') ? text.replaceAll(/\r?\n/g, ' ⏎ ') : text);

function fieldValue(value: unknown): string {
	if (typeof value === 'string') {
		return value !== '' && !/[\s"=]/.test(value) ? value : JSON.stringify(value);
	}

	return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export type JsonRendering = {text: string; level?: LogLevel};

/**
 * A structured line made readable: `INFO  notes.views  Saved note  duration_ms=12`. Level, logger
 * and message first, then every other field as key=value; the line's own timestamp is left out.
 */
export function renderJsonRecord(record: Record<string, unknown>): JsonRendering {
	// Plain loops and string building: this runs for every JSON line of a flood.
	const levelKey = firstKey(record, levelKeys);
	const loggerKey = firstKey(record, loggerKeys);
	const messageKey = firstKey(record, messageKeys);
	const level = levelKey === undefined ? undefined : levelOfValue(record[levelKey]);
	const parts: string[] = [];
	if (levelKey !== undefined) {
		parts.push(level ? levelLabels[level] : String(record[levelKey]).toUpperCase());
	}

	if (loggerKey !== undefined) {
		parts.push(String(record[loggerKey]));
	}

	if (messageKey !== undefined) {
		parts.push(oneLine(String(record[messageKey])));
	}

	let fields = '';
	for (const key in record) {
		if (key !== levelKey && key !== loggerKey && key !== messageKey && !timeKeys.has(key)) {
			fields += `${fields === '' ? '' : ' '}${key}=${fieldValue(record[key])}`;
		}
	}

	if (fields !== '') {
		parts.push(fields);
	}

	return {text: parts.join('  '), level};
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
	const trimmed = text.trim();
	if (trimmed.charCodeAt(0) !== 0x7B || trimmed.charCodeAt(trimmed.length - 1) !== 0x7D) {
		return undefined;
	}

	try {
		const parsed: unknown = JSON.parse(trimmed);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
	} catch {
		return undefined;
	}
}

const hasEscape = (text: string): boolean => text.includes('\u001B');

const anyControl = /[\u0000-\u001F\u007F-\u009F]/;
const sgrCodes = /\u001B\[[\d;:]*m/g;

/** Most lines have no control character at all; coloured ones often have nothing else but colour. */
function sanitise(text: string): string {
	if (!anyControl.test(text)) {
		return text;
	}

	// Text whose only controls are SGR colour codes is already what the sanitiser would make of it.
	return anyControl.test(text.replaceAll(sgrCodes, '')) ? sanitizeForTerminal(text) : text;
}

/** Sanitised text has no escape codes left but colour: dropping those is all plain text needs. */
const withoutColour = (text: string): string => text.replaceAll(sgrCodes, '');

/** A stream's last level, so the indented lines of a traceback read as part of its error. */
export type LevelMemory = Map<number, LogLevel | undefined>;

const continuation = /^[ \t]/;

/** Turns a platform line into an entry: sanitised once, level found, JSON rendered. */
export function toEntry(line: LogLine, source: number, memory: LevelMemory): LogEntry {
	const sanitised = sanitise(line.text);
	const plain = hasEscape(sanitised) ? withoutColour(sanitised) : undefined;
	const readable = plain ?? sanitised;
	const record = parseJsonObject(readable);
	let entry: LogEntry;
	if (record) {
		const rendering = renderJsonRecord(record);
		// Decoded JSON strings can hold real escape characters: sanitise the rendering as well.
		const text = sanitise(rendering.text);
		entry = {
			source,
			container: line.container,
			timestamp: line.timestamp,
			level: rendering.level ?? detectTextLevel(rendering.text),
			text,
			plain: hasEscape(text) ? withoutColour(text) : undefined,
			raw: readable,
		};
	} else {
		const previous = memory.get(source);
		const level = detectTextLevel(readable) ?? (previous === 'error' && continuation.test(readable) ? 'error' : undefined);
		// Every entry has the same fields, so the engine keeps one shape for them all.
		entry = {source, container: line.container, timestamp: line.timestamp, level, text: sanitised, plain, raw: undefined};
	}

	memory.set(source, entry.level);
	return entry;
}
