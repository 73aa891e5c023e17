import type {Container} from '../../core/types.js';
import type {DashboardContext} from '../dashboard-props.js';
import {type Line, text} from '../line.js';
import {fit} from '../text.js';
import type {ShellState} from '../ui-state.js';
import {OverlayBox} from './overlay-box.js';

type Choosing = Extract<ShellState, {phase: 'choosing'}>;

const ageWidth = 8;

function containerLine(container: Container, highlighted: boolean, width: number): Line {
	const label = fit(`${highlighted ? '▸' : ' '} ${container.name}`, width - ageWidth);
	const age: Line = [{time: 'age', from: container.createdAt, width: ageWidth, align: 'right', tone: 'muted', suffix: ' old'}];
	// The ▸ marks the choice without colour; reverse video with it.
	return highlighted
		? [{text: label, tone: 'accent', bold: true, inverse: true}, ...age]
		: [text(label), ...age];
}

/** The rows of the list that fit, keeping the choice in view. */
function visibleWindow(count: number, choice: number, room: number): [number, number] {
	const shown = Math.max(1, Math.min(count, room));
	const start = Math.min(Math.max(0, choice - shown + 1), count - shown);
	return [start, start + shown];
}

/** Which of a workload's running containers the shell opens in, drawn over the panes. */
export function ShellChooser({shell, context, columns, bodyTop, bodyHeight}: {
	shell: Choosing;
	context: DashboardContext;
	columns: number;
	bodyTop: number;
	bodyHeight: number;
}) {
	const width = Math.min(columns, 72);
	const inner = width - 4;
	const sandbox = context.sandbox ? ' (SANDBOX)' : '';
	const header: Line[] = [[text(fit(`Shell in ${shell.workload.name}: which container?`, inner), undefined, true)]];
	const footer: Line[] = [[text(fit(`Context: ${context.name}${sandbox}`, inner), 'muted')], [text(fit('↑/↓ choose · enter open · esc cancel', inner), 'muted')]];
	// Borders take two rows; on a short terminal the context line goes before any container does.
	const room = bodyHeight - 2 - header.length - footer.length;
	const tail = room >= 1 ? footer : footer.slice(1);
	const [start, end] = visibleWindow(shell.containers.length, shell.choice, Math.max(1, bodyHeight - 2 - header.length - tail.length));
	const list = shell.containers.slice(start, end).map((container, index) => containerLine(container, start + index === shell.choice, inner));
	const lines = [...header, ...list, ...tail];
	return <OverlayBox lines={lines} width={width} columns={columns} bodyTop={bodyTop} bodyHeight={bodyHeight} borderStyle="round" borderColor="cyan"/>;
}
