import {UsageError} from '../../core/errors.js';
import type {SshConnectOptions} from '../../infra/ssh/index.js';

/** A Docker Compose project on a host reached over SSH (through bastions when ~/.ssh/config says so). */
export type ComposeOptions = {
	/** `user@host[:port]` or a Host alias of ~/.ssh/config (ProxyJump honoured). */
	destination: string;
	/** The project directory on the host (absolute). */
	projectDirectory: string;
	/** Compose files, relative to the project directory or absolute; Compose's default lookup when absent. */
	composeFiles?: string[];
	/** `-p`: when the project's name is not the directory's. */
	projectName?: string;
	/** `--env-file`, relative to the project directory or absolute. */
	envFile?: string;
	/** The application service (the one releases change). */
	appService: string;
	/** The PostgreSQL service (shown as the addon, backed up with pg_dump). */
	dbService: string;
	/** The variable the compose file takes the application's image tag from (`image: app:${APP_TAG}`). */
	tagVariable: string;
	/** Where backups are written on this machine; default <state dir>/backups/compose/<destination>/<project>. */
	backupDirectory?: string;
	/** The docker program on the host; default `docker`. */
	docker?: string;
	/** How long `up --wait` may wait for health, in seconds (default 120). */
	waitTimeoutSeconds?: number;
	/** Everything connectSsh takes besides the destination (known_hosts, prompts, config path). */
	ssh?: Omit<SshConnectOptions, 'destination'>;
};

const serviceName = /^[a-zA-Z\d][\w.-]*$/;
const variableName = /^[A-Za-z_]\w*$/;

/** Throws a UsageError naming the setting and its fix when the context cannot describe a Compose project. */
export function checkComposeOptions(options: ComposeOptions): void {
	const fix = 'Fix the compose context in the config file.';
	if (!options.destination?.trim()) {
		throw new UsageError('The compose context has no SSH destination.', `Set "destination" to user@host[:port] or a Host alias of ~/.ssh/config. ${fix}`);
	}

	if (!options.projectDirectory?.startsWith('/')) {
		throw new UsageError(`The compose project directory "${options.projectDirectory ?? ''}" is not an absolute path on the host.`, `Set "projectDirectory" to the directory holding compose.yml, e.g. /srv/app. ${fix}`);
	}

	for (const [setting, value] of [['appService', options.appService], ['dbService', options.dbService]] as const) {
		if (!value || !serviceName.test(value)) {
			throw new UsageError(`"${setting}" ${value ? `"${value}" is not a Compose service name` : 'is missing'}.`, `Set "${setting}" to the service's name in compose.yml (letters, digits, ".", "_", "-"). ${fix}`);
		}
	}

	if (!options.tagVariable || !variableName.test(options.tagVariable)) {
		throw new UsageError(`"tagVariable" ${options.tagVariable ? `"${options.tagVariable}" is not a variable name` : 'is missing'}.`, `Set "tagVariable" to the variable in \`image: app:\${APP_TAG}\` (here APP_TAG). ${fix}`);
	}

	if (options.waitTimeoutSeconds !== undefined && (!Number.isInteger(options.waitTimeoutSeconds) || options.waitTimeoutSeconds < 1)) {
		throw new UsageError(`"waitTimeoutSeconds" ${String(options.waitTimeoutSeconds)} is not a whole number of seconds.`, `Set it to e.g. 120. ${fix}`);
	}
}
