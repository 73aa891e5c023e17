// A Docker Compose host for tests: a real sshd whose sessions find the `docker` stand-in
// (test/fixtures/docker-standin) first on their PATH, a bastion in front of it, a real PostgreSQL as
// the project's db service, and the seed-001 topology (nginx, gunicorn backend, PostgreSQL) up and healthy.
import {execFile} from 'node:child_process';
import {mkdir, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import pg from 'pg';
import type {ComposeOptions} from '../../source/providers/compose/index.js';
import {makeClientHome, type ClientHome} from '../infra/ssh/world.js';
import {djangoApp, runManage} from './django-app.js';
import {startPostgres, type PostgresServer} from './postgres.js';
import {freePort, makeTempDir, removeTempDir, startSshd, type SshdServer} from './sshd.js';

export const standinDirectory = fileURLToPath(new URL('../fixtures/docker-standin/', import.meta.url));
const standin = join(standinDirectory, 'docker');
const appScript = join(standinDirectory, 'app.py');

export type ComposeHostWorld = {
	postgres: PostgresServer;
	target: SshdServer;
	bastion: SshdServer;
	home: ClientHome;
	projectDirectory: string;
	backupDirectory: string;
	backendPort: number;
	/** Provider options reaching the host directly, or through the bastion (ProxyJump). */
	options(route: 'direct' | 'bastion', overrides?: Partial<ComposeOptions>): ComposeOptions;
	/** `docker compose …` run here, as the host itself would (the stand-in, in the project directory). */
	compose(args: string[], env?: Record<string, string>): Promise<{code: number; stdout: string; stderr: string}>;
	/** Makes the backend print `count` numbered lines `text 1` … `text N`. */
	emit(text: string, count: number): Promise<void>;
	stop(): Promise<void>;
};

/** The compose file of seed 001: the image tag in APP_TAG, ports from .env, the db a real PostgreSQL. */
function composeFile(): string {
	return `name: azionelab
services:
  nginx:
    image: nginx:1.27
    environment:
      PORT: "\${NGINX_PORT}"
      APP_ROLE: nginx
    ports: ["127.0.0.1:\${NGINX_PORT}:80"]
    depends_on: [backend]
    x-standin:
      command: ["python3", "${appScript}"]
  backend:
    image: app:\${APP_TAG}
    environment:
      PORT: "\${BACKEND_PORT}"
      DATABASE_URL: postgres://postgres@127.0.0.1:\${DB_PORT}/\${DB_NAME}
      DJANGO_SECRET_KEY: not-a-real-secret
    ports: ["127.0.0.1:\${BACKEND_PORT}:8000"]
    depends_on: [db]
    healthcheck:
      test: ["CMD", "python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['PORT'] + '/api/health/', timeout=2)"]
      interval: 250ms
      timeout: 3s
      retries: 2
      start_period: 8s
    x-standin:
      command: ["python3", "${appScript}"]
  db:
    image: postgres:15
    environment:
      POSTGRES_USER: postgres
      POSTGRES_DB: \${DB_NAME}
    ports: ["127.0.0.1:\${DB_PORT}:5432"]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 1s
    x-standin:
      external: {port: "\${DB_PORT}"}
      env: {PGHOST: 127.0.0.1, PGPORT: "\${DB_PORT}"}
`;
}

/**
 * The app images: v1 and v2 hold the Django fixture of that version (WORKDIR), with `python` on the PATH
 * as in python:3.12-slim; v2 takes 1.5 s to start, so a deploy of it is observably in progress.
 */
const registry = (pythonBin: string): string => `app:
  v1: {workdir: ${JSON.stringify(djangoApp.v1)}, env: {APP_VERSION: v1, PATH: "${pythonBin}:${containerPath}", PYTHONDONTWRITEBYTECODE: "1"}}
  v2: {workdir: ${JSON.stringify(djangoApp.v2)}, env: {APP_VERSION: v2, APP_START_DELAY: "1.5", PATH: "${pythonBin}:${containerPath}", PYTHONDONTWRITEBYTECODE: "1"}}
  broken: {env: {APP_VERSION: broken, APP_HEALTH: fail}}
nginx:
  "1.27": {}
postgres:
  "15": {}
`;

const containerPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * `schema: 'django'` gives the database Django v1's schema (migrations 0001-0002, applied for real)
 * instead of a bare notes table, for releases that migrate it.
 */
export async function startComposeHost(options: {rows?: number; schema?: 'notes' | 'django'} = {}): Promise<ComposeHostWorld> {
	const home = await makeClientHome();
	const keys = [home.key.publicKey];
	const [postgres, target, bastion] = await Promise.all([
		startPostgres({database: 'azionelab'}),
		startSshd({authorizedKeys: keys, extraConfig: [`SetEnv PATH=${standinDirectory.replace(/\/$/, '')}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`]}),
		startSshd({authorizedKeys: keys, logLevel: 'DEBUG1'}),
	]);
	await home.trust(target, bastion);
	await writeFile(home.config, [
		'Host bastion',
		'  HostName 127.0.0.1',
		`  Port ${bastion.port}`,
		'Host compose-direct',
		'  HostName 127.0.0.1',
		`  Port ${target.port}`,
		'Host compose-behind',
		'  HostName 127.0.0.1',
		`  Port ${target.port}`,
		'  ProxyJump bastion',
		'Host *',
		`  User ${target.user}`,
		'',
	].join('\n'));

	const projectDirectory = await makeTempDir('compose-project');
	const backupDirectory = await makeTempDir('compose-backups');
	const [backendPort, nginxPort] = [await freePort(), await freePort()];
	await mkdir(join(projectDirectory, '.standin'));
	await writeFile(join(projectDirectory, 'compose.yml'), composeFile());
	await writeFile(join(projectDirectory, '.env'), `APP_TAG=v1\nBACKEND_PORT=${backendPort}\nNGINX_PORT=${nginxPort}\nDB_PORT=${postgres.port}\nDB_NAME=${postgres.database}\n`);
	const pythonBin = join(projectDirectory, '.standin', 'python-bin');
	await mkdir(pythonBin);
	await symlink('/usr/bin/python3', join(pythonBin, 'python'));
	await writeFile(join(projectDirectory, '.standin', 'registry.yml'), registry(pythonBin));
	await (options.schema === 'django' ? migrateToV1(postgres) : seed(postgres, options.rows ?? 500));

	const compose = async (args: string[], env: Record<string, string> = {}): Promise<{code: number; stdout: string; stderr: string}> => new Promise(resolve => {
		execFile(standin, ['compose', '--project-directory', projectDirectory, ...args], {env: {...process.env, ...env}, timeout: 60_000}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});

	const up = await compose(['up', '-d', '--wait', '--wait-timeout', '30']);
	if (up.code !== 0) {
		throw new Error(`docker compose up failed: ${up.stderr}`);
	}

	return {
		postgres,
		target,
		bastion,
		home,
		projectDirectory,
		backupDirectory,
		backendPort,
		options: (route, overrides = {}) => ({
			destination: route === 'direct' ? 'compose-direct' : 'compose-behind',
			projectDirectory,
			appService: 'backend',
			dbService: 'db',
			tagVariable: 'APP_TAG',
			backupDirectory,
			waitTimeoutSeconds: 20,
			ssh: home.options('unused', {}),
			...overrides,
		}),
		compose,
		async emit(text, count) {
			const response = await fetch(`http://127.0.0.1:${backendPort}/emit?n=${count}&text=${encodeURIComponent(text)}`);
			await response.text();
		},
		async stop() {
			await compose(['down']);
			await Promise.all([postgres.stop(), target.stop(), bastion.stop()]);
			await Promise.all([home.remove(), removeTempDir(projectDirectory), removeTempDir(backupDirectory)]);
		},
	};
}

async function migrateToV1(postgres: PostgresServer): Promise<void> {
	const migrated = await runManage(djangoApp.v1, ['migrate', '--noinput'], {host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user});
	if (migrated.code !== 0) {
		throw new Error(`Django v1 migrate failed: ${migrated.stderr}`);
	}
}

/** A notes table with `rows` rows, so a backup has data to list and count. */
async function seed(postgres: PostgresServer, rows: number): Promise<void> {
	const client = new pg.Client({host: postgres.host, port: postgres.port, user: postgres.user, database: postgres.database});
	await client.connect();
	try {
		await client.query('create table notes_note (id serial primary key, title text not null, body text not null)');
		await client.query('insert into notes_note (title, body) select \'note \' || n, repeat(md5(n::text), 4) from generate_series(1, $1) as n', [rows]);
	} finally {
		await client.end();
	}
}
