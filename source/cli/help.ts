const general = `wheelhouse — a terminal operations console for Northflank, Render and Docker Compose hosts

Usage
  wheelhouse                       full-screen console for the current context
  wheelhouse status [--json]       services, builds, addons and jobs, once
  wheelhouse logs TARGET [--follow] [--since 10m] [--grep REGEX] [--json]
                                   the logs of a service, job or addon
  wheelhouse exec TARGET [--instance NAME] [-- COMMAND ...]
                                   a shell in a running container, or a one-shot command
  wheelhouse release [SERVICE] [--build ID] [--dry-run] [--yes [--confirm NAME]]
                                   back up, check the backup, migrate, deploy, health gate
  wheelhouse rollback [SERVICE] [--to BUILD] [--restore BACKUP] [--reverse-to APP.MIGRATION]
                                   app: the previous build; data: restore or reverse-migrate
  wheelhouse backup [ADDON] [--verify] | backups [ADDON] | restore ADDON BACKUP
  wheelhouse history [RUN] [--json] | resume [RUN] [--break-lock]
                                   past runs; finish one that was interrupted
  wheelhouse sandbox [--port N] [--state DIR] [--chaos SPEC] [--log-rate N] [--database-url URL]
                                   run the local sandbox platform on 127.0.0.1
  wheelhouse setup                 guided first-time setup of a context, each step checked live
  wheelhouse context list | use NAME | remove NAME | add NAME …
                                   the contexts of the config file (see wheelhouse help context)

Global options
  --context NAME      use this context from the config file
  --sandbox           use an in-process sandbox (the default when no context exists)
  --sandbox-url URL   use a sandbox started with \`wheelhouse sandbox\`
  --read-only         remove every action that changes something
  -h, --help          this help;  wheelhouse help COMMAND for one command
  -v, --version       print the version

Exit status: 0 success, 1 the operation failed, 2 bad usage or configuration.
Output is plain text when stdout is not a terminal; NO_COLOR turns colour off.`;

const runFlagsHelp = `

Every step that changes something shows what it will do and asks first (the answer defaults to no).
--dry-run prints the plan and the preflight and changes nothing. --yes answers for scripts, except the
typed confirmation of a destructive step (or of any change on a protected context), which also needs
--confirm NAME. Each run is journalled (wheelhouse history) and can be finished after a crash or a
dropped session with wheelhouse resume. Exit 0 when the run succeeded, 1 when it failed or stopped.`;

const topics: Record<string, string> = {
	release: `wheelhouse release [SERVICE] [--build ID] [--dry-run] [--yes [--confirm NAME]]

Releases a build with its migration, step by step: record the build running now (the rollback
target), read the new build's migration plan, back up the database and check the backup restores,
run the migration as a job from the new build (lock_timeout 5s, statement_timeout 15min), deploy the
new build, and wait for the health path to answer 200. SERVICE and the database, job, migrate command
and health path come from the context. --build picks the build (default: the newest successful one
that is not deployed).${runFlagsHelp}`,
	rollback: `wheelhouse rollback [SERVICE] [--to BUILD] [--restore BACKUP] [--reverse-to APP.MIGRATION]

App: redeploys the build the last release replaced (or --to BUILD); this does not touch the database.
Data, as a separate decision: --reverse-to notes.0002_x reverse-migrates with the newer build's code
before the app goes back; --restore BACKUP restores a backup (after taking one of the current state):
every write since that backup is lost.${runFlagsHelp}`,
	backup: `wheelhouse backup [ADDON] [--verify]

Takes a backup of the database addon and checks it: downloaded, listed (pg_restore --list) and its
SHA-256 recorded ("readable"); with --verify also restored into a scratch database with row counts
compared ("verified"). wheelhouse backups [ADDON] lists the backups with what was verified of them;
wheelhouse restore ADDON BACKUP restores one (destructive: writes since the backup are lost).${runFlagsHelp}`,
	history: `wheelhouse history [RUN] [--json]

The run journals of this machine, newest first: when, what, target, operator, status, builds, backup.
With RUN, one run in full: every step with its times and outcome, the facts and the audit events.
wheelhouse resume [RUN] finishes an interrupted run after re-reading the real state; --break-lock
breaks a stale lock once nothing of that run still goes on (the context's name is typed).`,
	status: `wheelhouse status [--json] [--context NAME | --sandbox | --sandbox-url URL]

Prints every service (deployment, build, instances, deployed SHA, health), the builds of each
service, the addons with their last backup, and the jobs with their last run. --json prints the
same as one JSON document.`,
	sandbox: `wheelhouse sandbox [--port N] [--state DIR] [--chaos SPEC] [--log-rate N] [--database-url URL]

Runs a local platform that speaks Northflank's API v1, seeded with the notechondria project.
  --port N       port on 127.0.0.1 (default 4780; 0 picks a free one)
  --state DIR    keep the sandbox's state in DIR, so it survives restarts
  --chaos SPEC   inject faults, comma-separated:
                   latency=200ms | latency=100-400ms   delay every API answer
                   5xx=0.2                              answer 20 % of requests with a server error
                   429=0.1                              answer 10 % of requests with 429 + Retry-After
                   429storm=20s/60s                     20 s of 429s every 60 s
                   drop-ws=0.1 | drop-ws=30s            drop live log tails: a share, or all every 30 s
  --log-rate N   log lines per second per service container (default about 3; up to 100000)
  --database-url URL
                 the addon's PostgreSQL: this server's database and role (postgres://USER:PASSWORD@HOST:PORT/DB)
                 instead of a cluster the sandbox runs itself (needs initdb and pg_ctl; in DIR/postgres with --state)
Point the console at it with: wheelhouse --sandbox-url http://127.0.0.1:4780`,
	logs: `wheelhouse logs TARGET [--follow] [--since 10m] [--grep REGEX] [--json]

Prints the log lines of TARGET (a service, job or addon, by name or id) from the last 30 minutes, or
from --since (a duration such as 10m, 2h, 1d, or a time such as 2026-11-22T03:00:00Z).
  -f, --follow   keep printing new lines; the stream reconnects by itself when it drops, and no
                 line is lost or printed twice
  --grep REGEX   only lines matching the JavaScript regular expression
  --json         one JSON object a line: source, container, timestamp, text
Lines are written as fast as the reader takes them. Only colour survives from the platform's text on a
terminal; in a pipe every escape sequence is removed.`,
	exec: `wheelhouse exec TARGET [--instance NAME] [-- COMMAND ...]

Without a command: an interactive shell (bash, else sh) in a running container of TARGET (a service,
job or addon, by name or id); exit returns. With -- COMMAND: runs it without a prompt, stdout and stderr
kept apart, piped stdin passed through; wheelhouse exits with the command's status.
  --instance NAME   the instance (pod) to use when several run; one is chosen otherwise
On a context that is an SSH host, exec opens the shell (or runs the command) on that host; TARGET is
not needed. Host keys are checked against known_hosts; unknown ones are asked about on a terminal.`,
	setup: `wheelhouse setup [--sandbox-url URL]

A guided form, full screen (80×24 is enough): the platform (Northflank, or an SSH host for exec);
the API token (NORTHFLANK_TOKEN is offered when set, or paste one: it is stored in secrets.json,
mode 0600) or the SSH host (from ~/.ssh/config, its host key shown for you to accept); the project,
service, database addon and migration job, listed live; the health path (probed: it must answer
200); the migration command (Django, Alembic or custom; for Django and Alembic the plan is read by a
run of the job that changes nothing); the name, environment, protected and read-only. Every step is
checked before the next; esc or shift-tab goes back with your answers kept; nothing is saved before
the summary's enter, and ctrl-c leaves without saving. The new context becomes the current one.
  --sandbox-url URL   practise on a sandbox started with \`wheelhouse sandbox\` (its token is printed there)
For scripts, use \`wheelhouse context add\`.`,
	context: `wheelhouse context list [--json]
wheelhouse context use NAME | remove NAME
wheelhouse context add NAME --platform northflank --project P [--team T] [--url URL]
                       [--token-env VAR | --token-stdin]
                       [--service S] [--addon A] [--job J] [--migrate-command CMD]
                       [--migration-tool django|alembic] [--health-path /p] [--database-url-env VAR]
                       [--environment production|staging|development] [--protected] [--read-only]
wheelhouse context add NAME --platform render [--workspace W] [--api-key-env VAR] [--url URL]
                       [--service S] [--addon A] [--health-path /p] [--migrate-command CMD] [--environment E] …
                       (the API key is read from RENDER_API_KEY, or the variable --api-key-env names)
wheelhouse context add NAME --platform compose --destination user@host[:port] --project-dir /srv/app
                       --app-service S --db-service S --tag-variable VAR [--files a.yml,b.yml]
                       [--health-path /p] [--migrate-command CMD] [--environment E] [--protected] [--read-only]
wheelhouse context add NAME --platform ssh --destination user@host[:port] [--environment E] [--protected] [--read-only]

list     every context: name, platform, project or destination, environment, protected/read-only,
         where its token comes from, * for the current one (--json for scripts; no token is printed)
use      make NAME the current context (the one used without --context)
remove   forget NAME, and its stored token
add      add a context without questions; nothing is checked over the network (the first command
         that connects checks it)
  --token-env VAR   read the token from VAR at every start
  --token-stdin     read the token from standard input (a pipe, or typed unseen on a terminal) and keep it
                    in secrets.json (mode 0600): printf %s "$TOKEN" | wheelhouse context add …
                    Without either, NORTHFLANK_TOKEN is read. An exported NORTHFLANK_TOKEN always wins over a
                    stored token.
  --protected       restart, build and the runbooks need the context's name typed (--confirm NAME in scripts)
  --read-only       nothing that changes the deployment is offered or allowed
Contexts live in config.json (mode 0600) in $WHEELHOUSE_CONFIG_DIR, else ~/.config/wheelhouse.`,
	console: `wheelhouse [--context NAME | --sandbox | --sandbox-url URL] [--read-only]

The full-screen console. Press ? inside it for every key.`,
};

export function helpText(topic?: string): string {
	if (topic === undefined) {
		return general;
	}

	const aliases: Record<string, string> = {backups: 'backup', restore: 'backup', resume: 'history'};
	return topics[topic] ?? topics[aliases[topic] ?? ''] ?? `No help for "${topic}". ${general}`;
}
