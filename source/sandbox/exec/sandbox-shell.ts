// What makes a local process recognisable as the sandbox's stand-in for a container: its own scratch
// directory as home, a small environment that says so, a labelled prompt and a banner.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir, userInfo} from 'node:os';
import path from 'node:path';
import type {RunningInstance} from './exec-targets.js';
import type {LaunchPlan} from './launch-plan.js';

export const bannerText = 'wheelhouse sandbox: a local shell standing in for the container';

const fallbackPath = '/usr/local/bin:/usr/bin:/bin';

export async function createScratchDirectory(): Promise<string> {
	return mkdtemp(path.join(tmpdir(), 'wheelhouse-sandbox-exec-'));
}

export async function removeScratchDirectory(directory: string): Promise<void> {
	await rm(directory, {recursive: true, force: true, maxRetries: 3});
}

/** The banner an interactive terminal session starts with. */
export function banner(instance: RunningInstance): string {
	return `${bannerText} ${instance.containerName} of ${instance.instanceName} (a scratch directory, removed when the shell ends)\r\n`;
}

/** Only what a container would have, plus the sandbox marks; nothing of the sandbox's own environment but PATH and the locale. */
export function sandboxEnvironment(options: {instance: RunningInstance; scratch: string; tty: boolean; plan: LaunchPlan}): Record<string, string> {
	const {instance, scratch, tty, plan} = options;
	const environment: Record<string, string> = {
		PATH: process.env.PATH ?? fallbackPath,
		HOME: scratch,
		PWD: scratch,
		LANG: process.env.LANG ?? 'C.UTF-8',
		HOSTNAME: instance.instanceName,
		USER: userName(),
		WHEELHOUSE_SANDBOX: '1',
		WHEELHOUSE_SANDBOX_INSTANCE: instance.instanceName,
		WHEELHOUSE_SANDBOX_CONTAINER: instance.containerName,
	};
	if (tty) {
		environment.TERM = 'xterm-256color';
	}

	if (plan.interactive) {
		environment.PS1 = prompt(instance, plan.promptStyle);
	}

	return environment;
}

function prompt(instance: RunningInstance, style: LaunchPlan['promptStyle']): string {
	// POSIX sh has no \w; it expands parameters in PS1 instead.
	return `[sandbox ${instance.instanceName}] ${style === 'bash' ? String.raw`\w` : '$PWD'} $ `;
}

function userName(): string {
	try {
		return userInfo().username;
	} catch {
		return 'sandbox';
	}
}
