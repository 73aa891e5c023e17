import {Box} from 'ink';
import type {LiveState} from '../../core/live-state.js';
import type {DashboardContext} from '../dashboard-props.js';
import {formatClockTime} from '../../core/format.js';
import {type Line, lineWidth, text, truncateLine} from '../line.js';
import type {Tone} from '../theme.js';
import {LineText} from './line-text.js';

type Part = {
	line: Line;
	/** 0 is never dropped; higher numbers go first. */
	drop: number;
	/** Cut with `…` when even the parts that are never dropped do not fit (the context name). */
	shrinks?: boolean;
};

function leftParts(context: DashboardContext, live: LiveState): Part[] {
	const project = live.snapshot?.project;
	const parts: Part[] = [
		{line: [text('wheelhouse', 'accent', true)], drop: 4},
		{line: [text(context.name, undefined, true)], drop: 0, shrinks: true},
	];
	if (context.sandbox) {
		parts.push({line: [{text: ' SANDBOX ', tone: 'warn', inverse: true, bold: true}], drop: 0});
	}

	// The environment always shows (production in red, without colour in capitals); read-only almost always.
	if (context.environment === 'production') {
		parts.push({line: [{text: ' PRODUCTION ', tone: 'bad', inverse: true, bold: true}], drop: 0});
	} else if (context.environment) {
		parts.push({line: [text(context.environment, context.environment === 'staging' ? 'warn' : 'muted', true)], drop: 0});
	}

	if (context.readOnly) {
		parts.push({line: [text('read-only', 'accent')], drop: 1});
	}

	parts.push({line: [text('· ', 'muted'), text(context.platform, 'muted')], drop: 5});
	if (project) {
		parts.push({line: [text('· ', 'muted'), text(project.name)], drop: 3});
		if (project.region) {
			parts.push({line: [text(`(${project.region})`, 'muted')], drop: 6});
		}
	}

	return parts;
}

function budgetPart(live: LiveState): Part | undefined {
	const {limit, remaining} = live.budget;
	if (limit === undefined || remaining === undefined) {
		return undefined;
	}

	const used = Math.max(0, limit - remaining);
	const tone: Tone = remaining < limit * 0.05 ? 'bad' : (remaining < limit * 0.2 ? 'warn' : 'muted');
	return {line: [text(`api ${used}/${limit}`, tone)], drop: 2};
}

function freshnessPart(live: LiveState): Part {
	if (live.staleSince) {
		const line: Line = [{text: ` STALE since ${formatClockTime(live.staleSince)} `, tone: 'bad', inverse: true, bold: true}];
		if (live.error) {
			line.push(text(` — ${live.error.message}`, 'bad'));
		}

		return {line, drop: 0};
	}

	if (!live.snapshot) {
		return {line: live.error ? [text(`✖ ${live.error.message}`, 'bad')] : [text('loading…', 'busy')], drop: 0};
	}

	if (!live.updatedAt) {
		return {line: [], drop: 0};
	}

	return {line: [text('updated ', 'muted'), {time: 'age', from: live.updatedAt, tone: 'muted'}, text(' ago', 'muted')], drop: 0};
}

function rightParts(live: LiveState): Part[] {
	const parts: Part[] = [];
	if (live.transitioning && live.snapshot) {
		parts.push({line: [text('◌ in progress', 'busy')], drop: 1});
	}

	parts.push(freshnessPart(live));
	const budget = budgetPart(live);
	if (budget) {
		parts.push(budget);
	}

	return parts;
}

function join(parts: Part[], separator: string): Line {
	return parts.flatMap((part, index) => (index === 0 ? part.line : [text(separator), ...part.line]));
}

/** Drops optional parts, least important first, until both sides fit on one line. */
function fitParts(left: Part[], right: Part[], width: number): [Part[], Part[]] {
	let keptLeft = left;
	let keptRight = right;
	const total = () => lineWidth(join(keptLeft, ' ')) + 2 + lineWidth(join(keptRight, '  '));
	while (total() > width) {
		const droppable = [...keptLeft, ...keptRight].filter(part => part.drop > 0);
		if (droppable.length === 0) {
			break;
		}

		const first = droppable.reduce((worst, part) => (part.drop > worst.drop ? part : worst));
		keptLeft = keptLeft.filter(part => part !== first);
		keptRight = keptRight.filter(part => part !== first);
	}

	return [keptLeft, keptRight];
}

/** Shortens the shrinkable part so the whole left side fits `width` and the SANDBOX badge stays. */
function shrinkToFit(parts: Part[], width: number): Part[] {
	const overflow = lineWidth(join(parts, ' ')) - width;
	if (overflow <= 0) {
		return parts;
	}

	return parts.map(part => (part.shrinks ? {...part, line: truncateLine(part.line, Math.max(2, lineWidth(part.line) - overflow))} : part));
}

/** App, context, SANDBOX badge and project on the left; freshness and API budget on the right. */
export function Header({context, live, width}: {context: DashboardContext; live: LiveState; width: number}) {
	const [left, right] = fitParts(leftParts(context, live), rightParts(live), width);
	const rightLine = join(right, '  ');
	// The left side keeps at least half the line; a long error message on the right is what gets cut.
	const leftNeeds = Math.min(lineWidth(join(left, ' ')), Math.ceil(width / 2));
	const rightWidth = Math.max(0, Math.min(lineWidth(rightLine), width - leftNeeds - 1));
	const leftLine = join(shrinkToFit(left, width - rightWidth - 1), ' ');
	return (
		<Box width={width} height={1} flexShrink={0}>
			<Box width={width - rightWidth} height={1} overflow="hidden">
				<LineText line={leftLine}/>
			</Box>
			<Box width={rightWidth} height={1} justifyContent="flex-end" overflow="hidden">
				<LineText line={rightLine}/>
			</Box>
		</Box>
	);
}
