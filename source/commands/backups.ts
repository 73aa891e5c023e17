// `wheelhouse backups ADDON`: the platform's backups of an addon, with what this machine verified of them.
import type {Connection} from '../cli/connect.js';
import {formatBytes, formatDateTime} from '../core/format.js';
import {stateDirectory} from '../infra/state-path.js';
import {JournalStore} from '../runbooks/engine/index.js';
import {resolveTarget} from '../runbooks/target.js';
import type {JournalFacts} from '../runbooks/types.js';

export async function runBackupsCommand(connection: Connection, options: {addon?: string; json: boolean}, stdout: NodeJS.WritableStream): Promise<number> {
	const addon = await resolveAddon(connection, options.addon);
	const backups = await connection.provider.listBackups(addon.id, 50);
	const verified = new Map<string, NonNullable<JournalFacts['backup']>>();
	const {journals} = await new JournalStore(stateDirectory()).list();
	for (const journal of journals.toReversed()) {
		const backup = journal.facts.backup;
		if (backup?.level && journal.target.addon?.id === addon.id) {
			verified.set(backup.id, backup);
		}
	}

	if (options.json) {
		stdout.write(`${JSON.stringify(backups.map(backup => ({...backup, verification: verified.get(backup.id)})), null, 2)}\n`);
		return 0;
	}

	stdout.write(`Backups of ${addon.name}, newest first:\n`);
	for (const backup of backups) {
		const check = verified.get(backup.id);
		const level = check ? `${check.level}${check.sha256 ? ` sha256 ${check.sha256.slice(0, 12)}…` : ''}` : 'not checked here';
		stdout.write(`  ${backup.id.padEnd(36)} ${backup.rawStatus.padEnd(11)} ${(backup.sizeBytes === undefined ? '' : formatBytes(backup.sizeBytes)).padStart(9)}  ${backup.createdAt ? formatDateTime(backup.createdAt) : ''}  ${level}\n`);
	}

	if (backups.length === 0) {
		stdout.write(`  none yet: \`wheelhouse backup ${addon.name}\` takes one.\n`);
	}

	return 0;
}

async function resolveAddon(connection: Connection, wanted: string | undefined): Promise<{id: string; name: string}> {
	if (wanted === undefined) {
		return (await resolveTarget(connection.provider, connection.context, {}, 'backup')).addon;
	}

	const addons = await connection.provider.listAddons();
	const found = addons.find(addon => addon.name === wanted || addon.id === wanted);
	if (!found) {
		const {UsageError} = await import('../core/errors.js');
		throw new UsageError(`No addon named "${wanted}".`, `Known addons: ${addons.map(addon => addon.name).join(', ') || 'none'}.`);
	}

	return found;
}
