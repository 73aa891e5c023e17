// The runbook screen's first line: what runs where (production stands out), and how it is going.
import type {Journal} from '../../runbooks/types.js';
import {type Line, lineWidth, statusSegment, text} from '../line.js';
import {plain} from './plain-text.js';
import {runbookTitle, runLooks} from './run-looks.js';

type Part = {line: Line; drop: number};

const isProduction = (environment: string | undefined): boolean => /^prod(uction)?$/i.test(environment ?? '');

export function targetName(journal: Journal): string {
	const {service, addon, job} = journal.target;
	return plain(service?.name ?? addon?.name ?? job?.name ?? '—');
}

function environmentPart(environment: string | undefined): Part[] {
	if (!environment) {
		return [];
	}

	// Production reads as a warning with or without colour: capitals in reverse video.
	return isProduction(environment)
		? [{line: [{text: ` ${plain(environment).toUpperCase()} `, tone: 'bad', inverse: true, bold: true}], drop: 0}]
		: [{line: [text(`(${plain(environment)})`, 'muted')], drop: 3}];
}

/** Left: title, target, context (+ environment), run id. Right: status and elapsed time. */
export function runHeader(journal: Journal, title: string | undefined, width: number): {left: Line; right: Line} {
	const right: Line = [
		statusSegment(runLooks[journal.status]),
		text('  '),
		{time: 'duration', from: new Date(journal.createdAt), to: journal.endedAt ? new Date(journal.endedAt) : undefined, tone: 'muted'},
	];
	let parts: Part[] = [
		{line: [text(plain(title ?? runbookTitle(journal.kind)), 'accent', true)], drop: 0},
		{line: [text(targetName(journal), undefined, true)], drop: 0},
		{line: [text('· ', 'muted'), text(plain(journal.context))], drop: 1},
		...environmentPart(journal.environment),
		{line: [text('· run ', 'muted'), text(plain(journal.runId), 'muted')], drop: 2},
	];
	const room = width - lineWidth(right) - 1;
	const joined = () => parts.flatMap((part, index) => (index === 0 ? part.line : [text(' '), ...part.line]));
	while (lineWidth(joined()) > room && parts.some(part => part.drop > 0)) {
		const worst = Math.max(...parts.map(part => part.drop));
		parts = parts.filter(part => part.drop !== worst);
	}

	return {left: joined(), right};
}
