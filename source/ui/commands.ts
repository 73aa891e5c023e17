// The `:` palette's commands, as data: suggestions, completion and the help screen read them.
import type {Features} from './keymap.js';
import type {MutatingCommand, PaneId} from './ui-state.js';

export type PaletteCommand = {
	name: string;
	aliases: readonly string[];
	description: string;
	run:
		| {kind: 'focus'; pane: PaneId} | {kind: 'refresh'} | {kind: 'help'} | {kind: 'quit'} | {kind: 'mutate'; command: MutatingCommand}
		| {kind: 'logs'; of: 'selected' | 'all-services'} | {kind: 'shell'}
		| {kind: 'runbook'; runbook: PaletteRunbook} | {kind: 'history'};
};

/** The runbooks the palette starts (restore is reached from a failed run, not started by hand). */
export type PaletteRunbook = 'release' | 'rollback' | 'backup';

const readOnlyCommands: readonly PaletteCommand[] = [
	{name: 'services', aliases: ['svc'], description: 'Focus the Services pane', run: {kind: 'focus', pane: 'services'}},
	{name: 'builds', aliases: [], description: 'Focus the Builds pane', run: {kind: 'focus', pane: 'builds'}},
	{name: 'addons', aliases: ['db'], description: 'Focus the Addons pane', run: {kind: 'focus', pane: 'addons'}},
	{name: 'jobs', aliases: [], description: 'Focus the Jobs pane', run: {kind: 'focus', pane: 'jobs'}},
	{name: 'refresh', aliases: [], description: 'Refresh everything now', run: {kind: 'refresh'}},
	{name: 'help', aliases: [], description: 'Show every key and command', run: {kind: 'help'}},
	{name: 'quit', aliases: ['q', 'exit'], description: 'Quit wheelhouse', run: {kind: 'quit'}},
];

const logCommands: readonly PaletteCommand[] = [
	{name: 'logs', aliases: ['log'], description: 'Logs of the selected row', run: {kind: 'logs', of: 'selected'}},
	{name: 'logs all', aliases: [], description: 'Logs of every service, merged', run: {kind: 'logs', of: 'all-services'}},
];

const shellCommands: readonly PaletteCommand[] = [
	{name: 'shell', aliases: ['exec'], description: 'Open a shell in the selected row', run: {kind: 'shell'}},
];

const mutatingCommands: readonly PaletteCommand[] = [
	{name: 'build', aliases: [], description: 'Start a build of the selected service', run: {kind: 'mutate', command: 'build'}},
	{name: 'restart', aliases: [], description: 'Restart the selected service', run: {kind: 'mutate', command: 'restart'}},
];

const runbookCommands: readonly PaletteCommand[] = [
	{name: 'release', aliases: [], description: 'Release a build of the selected service (a runbook: plan, confirm each step)', run: {kind: 'runbook', runbook: 'release'}},
	{name: 'rollback', aliases: [], description: 'Roll the selected service back to its previous build (a runbook)', run: {kind: 'runbook', runbook: 'rollback'}},
	{name: 'backup', aliases: [], description: 'Back up the selected addon and verify the archive (a runbook)', run: {kind: 'runbook', runbook: 'backup'}},
];

const historyCommands: readonly PaletteCommand[] = [
	{name: 'history', aliases: ['runs'], description: 'Past runbook runs and their journals', run: {kind: 'history'}},
];

/** Read-only mode has no mutating commands at all: they are absent, not disabled. Likewise logs without a log source, shells without `openShell`. */
export function paletteCommands(canMutate: boolean, features?: Features): readonly PaletteCommand[] {
	return [
		...readOnlyCommands,
		...(features?.logs ? logCommands : []),
		...(features?.shell ? shellCommands : []),
		...(canMutate ? mutatingCommands : []),
		...(canMutate && features?.runbooks ? runbookCommands : []),
		...(features?.history ? historyCommands : []),
	];
}

const normalise = (text: string): string => text.trim().toLowerCase();

/** Commands whose name or alias starts with what was typed; exact matches first. */
export function suggest(commands: readonly PaletteCommand[], typed: string): PaletteCommand[] {
	const query = normalise(typed);
	const names = (command: PaletteCommand) => [command.name, ...command.aliases];
	const exact = commands.filter(command => names(command).includes(query));
	const prefixed = commands.filter(command => !exact.includes(command) && names(command).some(name => name.startsWith(query)));
	return [...exact, ...prefixed];
}

/** The command Enter runs: an exact name or alias, else the highlighted suggestion. */
export function resolveCommand(commands: readonly PaletteCommand[], typed: string, choice: number): PaletteCommand | undefined {
	if (normalise(typed) === '') {
		return undefined;
	}

	return suggest(commands, typed)[choice];
}
