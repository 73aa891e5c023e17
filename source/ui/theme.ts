// What each state looks like. Every state has a symbol and a word, so it reads without colour
// (FORCE_COLOR=0, NO_COLOR, monochrome terminals); colour only reinforces it.
import type {
	AddonStatus, BackupStatus, BuildStatus, ContainerStatus, DeploymentStatus, Health, JobRunStatus,
} from '../core/types.js';

export type Tone = 'good' | 'warn' | 'bad' | 'busy' | 'muted' | 'accent' | 'plain';

export type ToneStyle = {color?: string; dimColor?: boolean};

// Named ANSI colours follow the user's terminal theme; `muted` dims instead of using grey, which
// some themes render unreadably.
export const toneStyles: Record<Tone, ToneStyle> = {
	good: {color: 'green'},
	warn: {color: 'yellow'},
	bad: {color: 'red'},
	busy: {color: 'cyan'},
	accent: {color: 'cyan'},
	muted: {dimColor: true},
	plain: {},
};

export type StatusLook = {symbol: string; word: string; tone: Tone};

const look = (symbol: string, word: string, tone: Tone): StatusLook => ({symbol, word, tone});

const unknown = look('?', 'unknown', 'muted');

export function healthLook(health: Health): StatusLook {
	switch (health) {
		case 'healthy': return look('●', 'healthy', 'good');
		case 'degraded': return look('▲', 'degraded', 'warn');
		case 'down': return look('✖', 'down', 'bad');
		case 'deploying': return look('◌', 'deploying', 'busy');
		case 'paused': return look('‖', 'paused', 'muted');
		default: return unknown;
	}
}

export function buildLook(status: BuildStatus): StatusLook {
	switch (status) {
		case 'success': return look('✔', 'success', 'good');
		case 'failure': return look('✖', 'failure', 'bad');
		case 'building': return look('◌', 'building', 'busy');
		case 'queued': return look('…', 'queued', 'busy');
		case 'aborted': return look('⊘', 'aborted', 'warn');
		default: return unknown;
	}
}

export function deploymentLook(status: DeploymentStatus): StatusLook {
	switch (status) {
		case 'completed': return look('✔', 'completed', 'good');
		case 'in-progress': return look('◌', 'rolling out', 'busy');
		case 'pending': return look('…', 'pending', 'busy');
		case 'failed': return look('✖', 'failed', 'bad');
		default: return unknown;
	}
}

export function containerLook(status: ContainerStatus): StatusLook {
	switch (status) {
		case 'running': return look('●', 'running', 'good');
		case 'starting': return look('◌', 'starting', 'busy');
		case 'stopping': return look('◌', 'stopping', 'warn');
		case 'stopped': return look('○', 'stopped', 'muted');
		case 'finished': return look('✔', 'finished', 'muted');
		case 'failed': return look('✖', 'failed', 'bad');
		default: return unknown;
	}
}

export function addonLook(status: AddonStatus): StatusLook {
	switch (status) {
		case 'running': return look('●', 'running', 'good');
		case 'busy': return look('◌', 'busy', 'busy');
		case 'paused': return look('‖', 'paused', 'muted');
		case 'failed': return look('✖', 'failed', 'bad');
		default: return unknown;
	}
}

export function backupLook(status: BackupStatus): StatusLook {
	switch (status) {
		case 'completed': return look('✔', 'completed', 'good');
		case 'in-progress': return look('◌', 'running', 'busy');
		case 'scheduled': return look('…', 'scheduled', 'busy');
		case 'failed': return look('✖', 'failed', 'bad');
		case 'aborted': return look('⊘', 'aborted', 'warn');
		default: return unknown;
	}
}

export function jobRunLook(status: JobRunStatus): StatusLook {
	switch (status) {
		case 'success': return look('✔', 'success', 'good');
		case 'running': return look('◌', 'running', 'busy');
		case 'failed': return look('✖', 'failed', 'bad');
		default: return unknown;
	}
}

export const lookText = (status: StatusLook): string => `${status.symbol} ${status.word}`;
