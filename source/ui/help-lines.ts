// The help screen, generated from the keymap and the palette commands so it cannot drift.
import {type PaletteCommand} from './commands.js';
import {available, bindingKeysLabel, bindings, type Features, noFeatures, type Scope, scopeTitles} from './keymap.js';
import {type Line, text} from './line.js';

function entry(keys: string, description: string, keyColumn: number): Line {
	return [text('  '), text(keys.padEnd(keyColumn), 'accent', true), text(description)];
}

const commandNames = (command: PaletteCommand): string => [command.name, ...command.aliases].map(name => `:${name}`).join(' ');

export function helpLines(commands: readonly PaletteCommand[], canMutate: boolean, features: Features = noFeatures): Line[] {
	const shown = bindings.filter(binding => available(binding, features));
	const keyColumn = 2 + Math.max(...shown.map(binding => bindingKeysLabel(binding).length), ...commands.map(command => commandNames(command).length));
	const lines: Line[] = [];
	const scopes = [...new Set(shown.map(binding => binding.scope))] as Scope[];
	for (const scope of scopes) {
		lines.push([text(scopeTitles[scope], undefined, true)]);
		for (const binding of shown.filter(candidate => candidate.scope === scope)) {
			lines.push(entry(bindingKeysLabel(binding), binding.description, keyColumn));
		}

		lines.push([]);
	}

	lines.push([text('Commands (type : and a name; tab completes)', undefined, true)]);
	for (const command of commands) {
		lines.push(entry(commandNames(command), command.description, keyColumn));
	}

	lines.push([], canMutate
		? [text('build and restart ask for confirmation first.', 'muted')]
		: [text('Read-only: nothing here can change the deployment.', 'warn')]);

	return lines;
}
