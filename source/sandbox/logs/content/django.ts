// What a notechondria backend container writes: gunicorn booting and stopping, access lines,
// structured app logs, Django tracebacks, and the odd hostile, long or multi-byte line.
import type {LineContext, LineText} from '../container-log.js';
import {mix, pick} from '../dice.js';
import type {LogTime} from '../log-time.js';
import {accessTime, err, gunicornTime, isoMilliseconds, out, type ScriptLine} from './format.js';
import {hostileKinds, hostileLines} from './hostile.js';
import {appMessages, clientAddresses, loggers, noteTitles, request, userAgents, userNames} from './samples.js';

const workers = [7, 8, 9];

const gunicorn = (pid: number, level: string, message: string) => (time: LogTime) => err(`[${gunicornTime(time)}] [${pid}] [${level}] ${message}`);

export function bootScript(commit: string): ScriptLine[] {
	return [
		gunicorn(1, 'INFO', 'Starting gunicorn 22.0.0'),
		gunicorn(1, 'INFO', 'Listening at: http://0.0.0.0:8000 (1)'),
		gunicorn(1, 'INFO', 'Using worker: sync'),
		...workers.map(pid => gunicorn(pid, 'INFO', `Booting worker with pid: ${pid}`)),
		out(JSON.stringify({level: 'info', logger: 'notechondria.settings', msg: 'settings loaded', env: 'production', debug: false, commit})),
		out(JSON.stringify({level: 'info', logger: 'storages.r2', msg: 'static manifest loaded', files: 412})),
		time => out(probe(time, 503)),
		time => out(probe(time, 200)),
	];
}

/** SIGTERM: in-flight requests finish, workers exit; a crash-looping container has none to wait for. */
export function stopScript(serving: boolean): ScriptLine[] {
	return serving
		? [
			gunicorn(1, 'INFO', 'Handling signal: term'),
			time => out(access(time, 0x5e_ed)),
			...workers.map(pid => gunicorn(pid, 'INFO', `Worker exiting (pid: ${pid})`)),
			gunicorn(1, 'INFO', 'Shutting down: Master'),
		]
		: [gunicorn(1, 'INFO', 'Handling signal: term'), gunicorn(1, 'INFO', 'Shutting down: Master')];
}

/** A worker that cannot boot (a missing secret), as gunicorn reports it. */
const failingBoot: ScriptLine[] = [
	gunicorn(1, 'INFO', 'Starting gunicorn 22.0.0'),
	gunicorn(1, 'INFO', 'Listening at: http://0.0.0.0:8000 (1)'),
	gunicorn(1, 'INFO', 'Using worker: sync'),
	gunicorn(7, 'INFO', 'Booting worker with pid: 7'),
];

const bootFailure: ScriptLine[] = [
	gunicorn(7, 'ERROR', 'Exception in worker process'),
	...[
		'Traceback (most recent call last):',
		'  File "/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker',
		'    worker.init_process()',
		'  File "/usr/local/lib/python3.12/site-packages/gunicorn/workers/base.py", line 134, in init_process',
		'    self.load_wsgi()',
		'  File "/home/notechondria/notechondria/wsgi.py", line 16, in <module>',
		'    application = get_wsgi_application()',
		'  File "/home/notechondria/notechondria/settings.py", line 41, in <module>',
		'    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
		'                 ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^',
		'  File "<frozen os>", line 714, in __getitem__',
		'KeyError: \'DJANGO_SECRET_KEY\'',
	].map(text => err(text)),
	gunicorn(7, 'INFO', 'Worker exiting (pid: 7)'),
	gunicorn(1, 'ERROR', 'Worker (pid:7) exited with code 3'),
	gunicorn(1, 'ERROR', 'Shutting down: Master'),
	gunicorn(1, 'ERROR', 'Reason: Worker failed to boot.'),
];

export function failingBootScript(): ScriptLine[] {
	return failingBoot;
}

const crashCycle = [...bootFailure, ...failingBoot];

/** A crash-looping container: the failure, then the restart's boot and the same failure, over and over. */
export function crashLoopLine(line: LineContext): LineText {
	const entry = crashCycle[(line.seqInPhase - 1) % crashCycle.length]!;
	return typeof entry === 'function' ? entry(line.time) : entry;
}

/** A serving container's line: mostly requests, with the whole variety a log viewer must survive. */
export function servingLine(line: LineContext): LineText {
	const traceback = tracebackLine(line.seed, line.seqInPhase);
	if (traceback !== undefined) {
		return err(traceback);
	}

	const dice = mix(line.seed, line.seq, 11);
	const roll = dice % 1000;
	if (roll < 520) {
		return out(access(line.time, dice));
	}

	if (roll < 600) {
		return out(probe(line.time, 200));
	}

	if (roll < 740) {
		return out(appJson(line.time, dice));
	}

	if (roll < 800) {
		return err(coloured(dice));
	}

	if (roll < 835) {
		return err(pick(djangoWarnings, dice >>> 10));
	}

	if (roll < 875) {
		return out(hostileLines[pick(hostileKinds, dice >>> 10)]);
	}

	if (roll < 915) {
		return out(multiByte(line.time, dice));
	}

	if (roll < 920) {
		return out(longLine(dice));
	}

	return err(`[${gunicornTime(line.time)}] [${pick(workers, dice >>> 10)}] [DEBUG] ${pick(workerChatter, dice >>> 12)}`);
}

function access(time: LogTime, dice: number): string {
	const {method, path, status, bytes} = request(dice);
	const referer = method === 'GET' && status === 200 ? 'https://notechondria.example/notes' : '-';
	return `${pick(clientAddresses, dice >>> 4)} - - [${accessTime(time)}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "${referer}" "${pick(userAgents, dice >>> 12)}"`;
}

function probe(time: LogTime, status: number): string {
	return `10.0.0.1 - - [${accessTime(time)}] "GET /api/health/ HTTP/1.1" ${status} ${status === 200 ? 52 : 38} "-" "kube-probe/1.29"`;
}

function appJson(time: LogTime, dice: number): string {
	const {level, msg} = pick(appMessages, dice >>> 10);
	return JSON.stringify({
		time: isoMilliseconds(time),
		level,
		logger: pick(loggers, dice >>> 14),
		msg,
		duration_ms: 3 + (dice % 180),
		user_id: 10 + (dice % 90),
		request_id: (dice >>> 3).toString(16).padStart(8, '0'),
	});
}

const sgr = (code: string) => `\u001B[${code}m`;

function coloured(dice: number): string {
	const variants = [
		`${sgr('32')}INFO${sgr('0')}     ${sgr('2')}[notes.tasks]${sgr('0')} reminder sweep finished in ${sgr('1')}${20 + (dice % 60)}ms${sgr('0')} (12 due)`,
		`${sgr('33')}WARNING${sgr('0')}  ${sgr('36')}planner.cache${sgr('0')} week view cache miss for course ${sgr('35')}#31${sgr('0')}`,
		`${sgr('1;31')}ERROR${sgr('0')}    ${sgr('38;5;208')}sync.github${sgr('0')} push rejected: signature mismatch for delivery ${sgr('4')}${(dice >>> 4).toString(16)}${sgr('24')}`,
		`${sgr('38;2;120;200;255')}casdoor${sgr('39')} shadow login matched user ${sgr('3')}alice@example.edu${sgr('23')} ${sgr('42;30')} OK ${sgr('0')}`,
		`${sgr('34')}DEBUG${sgr('0')}    ${sgr('90')}django.db.backends${sgr('0')} (0.00${dice % 9}) SELECT COUNT(*) FROM "notes_note"; args=()`,
	];
	return variants[(dice >>> 10) % variants.length]!;
}

const djangoWarnings = [
	'Not Found: /wp-login.php',
	'Not Found: /.env',
	'Forbidden (CSRF cookie not set.): /api/notes/',
	'Bad Request: /api/notes/',
	'Unauthorized: /api/auth/token/refresh/',
];

const workerChatter = ['Closing connection.', 'GET /api/notes/', 'Ignoring EPIPE', 'Closing connection. [Errno 104] Connection reset by peer'];

function multiByte(time: LogTime, dice: number): string {
	const title = pick(noteTitles, dice >>> 10);
	return dice % 2 === 0
		? JSON.stringify({time: isoMilliseconds(time), level: 'info', logger: 'notes.views', msg: 'note saved', title, user: pick(userNames, dice >>> 14)})
		: `Rendering PDF export of "${title}" for ${pick(userNames, dice >>> 14)} ✓`;
}

/** Several kilobytes: a Django SQL debug line with a long IN list, or a webhook payload. */
function longLine(dice: number): string {
	const variant = dice % longLineVariants;
	longLines[variant] ??= buildLongLine(variant);
	return longLines[variant];
}

// A flood writes hundreds of these a second: build each variant once.
const longLineVariants = 8;
const longLines: string[] = [];

function buildLongLine(variant: number): string {
	const count = 400 + (variant * 170);
	if (variant % 2 === 0) {
		const ids = Array.from({length: count}, (_, index) => 1000 + (index * 7)).join(', ');
		return `(0.0${12 + variant}) SELECT "notes_note"."id", "notes_note"."title", "notes_note"."body", "notes_note"."course_id" FROM "notes_note" WHERE "notes_note"."id" IN (${ids}); args=(...)`;
	}

	const payload = Buffer.from(Array.from({length: count * 3}, (_, index) => ((index * 31) + variant) % 256)).toString('base64');
	return JSON.stringify({level: 'debug', logger: 'sync.github', msg: 'webhook payload', bytes: count * 3, payload});
}

const sitePackages = '/usr/local/lib/python3.12/site-packages';

const tracebacks: ReadonlyArray<readonly string[]> = [
	[
		'Internal Server Error: /api/notes/4211/',
		'Traceback (most recent call last):',
		`  File "${sitePackages}/django/core/handlers/exception.py", line 55, in inner`,
		'    response = get_response(request)',
		'               ^^^^^^^^^^^^^^^^^^^^^',
		`  File "${sitePackages}/django/core/handlers/base.py", line 197, in _get_response`,
		'    response = wrapped_callback(request, *callback_args, **callback_kwargs)',
		'               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
		'  File "/home/notechondria/notes/views.py", line 88, in note_detail',
		'    note = Note.objects.select_related("course").get(pk=pk, owner=request.user)',
		`  File "${sitePackages}/django/db/models/query.py", line 649, in get`,
		'    raise self.model.DoesNotExist(',
		'notes.models.Note.DoesNotExist: Note matching query does not exist.',
	],
	[
		'Internal Server Error: /api/planner/week/',
		'Traceback (most recent call last):',
		`  File "${sitePackages}/django/db/backends/base/base.py", line 275, in ensure_connection`,
		'    self.connect()',
		`  File "${sitePackages}/psycopg/connection.py", line 119, in connect`,
		'    raise last_ex.with_traceback(None)',
		'psycopg.OperationalError: connection failed: connection to server at "notechondria-postgres" (10.0.3.7), port 5432 failed: FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute',
		'',
		'The above exception was the direct cause of the following exception:',
		'',
		'Traceback (most recent call last):',
		`  File "${sitePackages}/django/core/handlers/exception.py", line 55, in inner`,
		'    response = get_response(request)',
		'  File "/home/notechondria/planner/views.py", line 31, in week',
		'    tasks = list(Task.objects.for_week(request.user, start))',
		'django.db.utils.OperationalError: connection failed: connection to server at "notechondria-postgres" (10.0.3.7), port 5432 failed: FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute',
	],
	[
		'Internal Server Error: /api/sync/github/push',
		'Traceback (most recent call last):',
		`  File "${sitePackages}/django/core/handlers/exception.py", line 55, in inner`,
		'    response = get_response(request)',
		'  File "/home/notechondria/sync/views.py", line 52, in push',
		'    signature = request.headers["X-Hub-Signature-256"]',
		'                ~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^',
		`  File "${sitePackages}/django/http/request.py", line 482, in __getitem__`,
		'    return super().__getitem__(key.replace("_", "-"))',
		'KeyError: \'X-Hub-Signature-256\'',
	],
];

const blockSize = 48;

/** One block of 48 lines in five holds a traceback, its lines in a row. */
function tracebackLine(seed: number, seqInPhase: number): string | undefined {
	const block = Math.floor((seqInPhase - 1) / blockSize);
	const dice = mix(seed, block, 12);
	if (dice % 5 !== 0) {
		return undefined;
	}

	const traceback = pick(tracebacks, dice >>> 8);
	const first = (dice >>> 16) % (blockSize - traceback.length + 1);
	return traceback[((seqInPhase - 1) % blockSize) - first];
}
