const general = `wheelhouse — a terminal operations console for Northflank, Render and Docker Compose hosts

Usage
  wheelhouse                       full-screen console for the current context
  wheelhouse status [--json]       services, builds, addons and jobs, once
  wheelhouse logs TARGET [--follow] [--since 10m] [--grep REGEX] [--json]
                                   the logs of a service, job or addon
  wheelhouse exec TARGET [--instance NAME] [-- COMMAND ...]
                                   a shell in a running container, or a one-shot command
  wheelhouse sandbox [--port N] [--state DIR] [--chaos SPEC] [--log-rate N]
                                   run the local sandbox platform on 127.0.0.1

Global options
  --context NAME      use this context from the config file
  --sandbox           use an in-process sandbox (the default when no context exists)
  --sandbox-url URL   use a sandbox started with \`wheelhouse sandbox\`
  --read-only         remove every action that changes something
  -h, --help          this help;  wheelhouse help COMMAND for one command
  -v, --version       print the version

Exit status: 0 success, 1 the operation failed, 2 bad usage or configuration.
Output is plain text when stdout is not a terminal; NO_COLOR turns colour off.`;

const topics: Record<string, string> = {
	status: `wheelhouse status [--json] [--context NAME | --sandbox | --sandbox-url URL]

Prints every service (deployment, build, instances, deployed SHA, health), the builds of each
service, the addons with their last backup, and the jobs with their last run. --json prints the
same as one JSON document.`,
	sandbox: `wheelhouse sandbox [--port N] [--state DIR] [--chaos SPEC] [--log-rate N]

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
	console: `wheelhouse [--context NAME | --sandbox | --sandbox-url URL] [--read-only]

The full-screen console. Press ? inside it for every key.`,
};

export function helpText(topic?: string): string {
	if (topic === undefined) {
		return general;
	}

	return topics[topic] ?? `No help for "${topic}". ${general}`;
}
