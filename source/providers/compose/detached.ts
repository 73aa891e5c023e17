// Long Compose commands (a migration's `run --rm`, a deploy's `up --wait`) run detached on the host, so
// a dropped SSH session never kills them: each run has a directory <project>/.wheelhouse/runs/<id>/ with
// meta.json (what and when), pid, log (its output) and, once it ends, exit ("<code> <ended at>").
// Whoever connects next learns how it stands by reading those files.
import {randomBytes} from 'node:crypto';
import {posix} from 'node:path';
import {ProviderError} from '../../core/errors.js';
import {toPlainText} from '../../infra/sanitize.js';
import {quoteShellArgument, quoteShellCommand} from '../../infra/ssh/shell-quote.js';
import type {ComposeHost} from './host.js';

export type DetachedKind = 'job' | 'deploy';

export type DetachedMeta = {id: string; kind: DetachedKind; service: string; tag: string; command: string; startedAt: string};

export type DetachedRun = DetachedMeta & {
	state: 'running' | 'exited' | 'lost';
	exitCode?: number;
	endedAt?: string;
	/** The last line of its output (Compose's last words when it failed). */
	lastLine?: string;
};

export type DetachedRequest = {
	kind: DetachedKind;
	service: string;
	tag: string;
	/** What the run is, in words for listings (`python manage.py migrate`). */
	command: string;
	/** `docker compose` argument lists, run one after the other while each succeeds. */
	steps: string[][];
	/** Variables for docker itself (the tag variable, passthrough values). */
	env: Record<string, string>;
};

const runIdPattern = /^[\w-]+$/;

export function runsDirectory(projectDirectory: string): string {
	return posix.join(projectDirectory, '.wheelhouse', 'runs');
}

/** Starts the commands under setsid + nohup on the host and resolves once its state files exist. */
export async function startDetached(host: ComposeHost, projectDirectory: string, request: DetachedRequest): Promise<DetachedMeta> {
	const id = `${new Date().toISOString().replaceAll(/[-:.]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
	const meta: DetachedMeta = {id, kind: request.kind, service: request.service, tag: request.tag, command: request.command, startedAt: new Date().toISOString()};
	const directory = posix.join(runsDirectory(projectDirectory), id);
	const body = request.steps.map(args => quoteShellCommand(host.composeArgv(args, request.env))).join(' && ');
	const script = [
		'echo $$ > pid',
		`(${body}) > log 2>&1 < /dev/null`,
		'code=$?',
		'printf \'%s %s\\n\' "$code" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > exit.tmp && mv exit.tmp exit',
	].join('\n');
	const launch = [
		'set -e',
		`mkdir -p ${quoteShellArgument(directory)}`,
		`cd ${quoteShellArgument(directory)}`,
		`printf '%s\\n' ${quoteShellArgument(script)} > run.sh`,
		`printf '%s' ${quoteShellArgument(JSON.stringify(meta))} > meta.json`,
		': > log',
		'setsid nohup sh run.sh > /dev/null 2>&1 < /dev/null &',
	].join('\n');
	const result = await host.shell(launch, {timeoutMs: 30_000});
	if (result.code !== 0) {
		throw new ProviderError('server', `Could not start ${request.command} detached on ${host.name} (exit ${result.code}): ${result.stderr.trim().slice(0, 300)}`);
	}

	return meta;
}

/** Every run in the runs directory (newest first), as its files say. */
export async function listDetached(host: ComposeHost, projectDirectory: string): Promise<DetachedRun[]> {
	const directory = runsDirectory(projectDirectory);
	const script = `cd ${quoteShellArgument(directory)} 2>/dev/null || exit 0
for run in */; do
	run=\${run%/}
	[ -f "$run/meta.json" ] || continue
	alive=0
	if [ ! -f "$run/exit" ] && { [ ! -f "$run/pid" ] || kill -0 "$(cat "$run/pid")" 2>/dev/null; }; then alive=1; fi
	printf '%s\\t%s\\t%s\\t%s\\n' "$(cat "$run/meta.json")" "$(cat "$run/exit" 2>/dev/null)" "$alive" "$(tail -n 1 "$run/log" 2>/dev/null | tr '\\t' ' ')"
done`;
	const result = await host.shell(script, {timeoutMs: 30_000});
	if (result.code !== 0) {
		throw new ProviderError('server', `Could not read the runs in ${directory} on ${host.name}: ${result.stderr.trim().slice(0, 300)}`);
	}

	return result.stdout.split('\n').filter(Boolean).map(line => parseRunLine(line)).filter((run): run is DetachedRun => run !== undefined)
		.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export async function getDetached(host: ComposeHost, projectDirectory: string, id: string): Promise<DetachedRun | undefined> {
	if (!runIdPattern.test(id)) {
		return undefined;
	}

	return (await listDetached(host, projectDirectory)).find(run => run.id === id);
}

/** The run's output so far. */
export async function readDetachedLog(host: ComposeHost, projectDirectory: string, id: string): Promise<string> {
	if (!runIdPattern.test(id)) {
		throw new ProviderError('not-found', `"${id}" is not a run id.`);
	}

	const result = await host.shell(`cat ${quoteShellArgument(posix.join(runsDirectory(projectDirectory), id, 'log'))}`, {timeoutMs: 120_000});
	if (result.code !== 0) {
		throw new ProviderError('not-found', `There is no run ${id} on ${host.name}.`);
	}

	return result.stdout;
}

/** `tail -f` of the run's log, ending when the run does. */
export function followCommand(projectDirectory: string, id: string): string {
	const directory = quoteShellArgument(posix.join(runsDirectory(projectDirectory), id));
	return `cd ${directory} && exec tail -n +1 -f --pid="$(cat pid)" log`;
}

function parseRunLine(line: string): DetachedRun | undefined {
	const [metaText = '', exitText = '', alive = '0', lastLine = ''] = line.split('\t');
	let meta: DetachedMeta;
	try {
		meta = JSON.parse(metaText) as DetachedMeta;
	} catch {
		return undefined;
	}

	const [code, endedAt] = exitText.trim().split(' ');
	const said = toPlainText(lastLine).trim() ? {lastLine: toPlainText(lastLine).trim().slice(0, 400)} : {};
	if (code !== undefined && code !== '') {
		return {...meta, ...said, state: 'exited', exitCode: Number(code), ...(endedAt ? {endedAt} : {})};
	}

	return {...meta, ...said, state: alive.trim() === '1' ? 'running' : 'lost'};
}
