// Tiny real Django and Alembic projects in temp dirs, run with the system's Python, so the parsers
// and classifiers are tested against what these tools really print.
import {execFile} from 'node:child_process';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {promisify} from 'node:util';
import type {DatabaseConnection} from '../../../source/core/database.js';
import {childEnvironment} from '../../../source/infra/postgres/index.js';

const run = promisify(execFile);

export type CommandOutput = {code: number; output: string; stdout: string};

let pythonFound: Promise<string> | undefined;

/** A python3 that imports django, psycopg2 and alembic (Debian's packages live in /usr/bin/python3's path). */
export async function python(): Promise<string> {
	pythonFound ??= (async () => {
		for (const candidate of ['python3', '/usr/bin/python3']) {
			try {
				await run(candidate, ['-c', 'import django, psycopg2, alembic']);
				return candidate;
			} catch {
				// Try the next.
			}
		}

		throw new Error('These tests need Django, psycopg2 and Alembic for python3: apt-get install -y python3-django python3-psycopg2 python3-alembic');
	})();
	return pythonFound;
}

/** Runs a Python tool against the database; never throws on a non-zero exit, returns it. */
export async function runPython(dir: string, args: string[], conn: DatabaseConnection, extraEnvironment: Record<string, string> = {}): Promise<CommandOutput> {
	const environment = {...childEnvironment(conn), ...extraEnvironment, PYTHONDONTWRITEBYTECODE: '1'};
	try {
		const {stdout, stderr} = await run(await python(), args, {cwd: dir, env: environment, timeout: 30_000});
		return {code: 0, output: stdout + stderr, stdout};
	} catch (error) {
		const failure = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof failure.code === 'number' ? failure.code : 1, output: (failure.stdout ?? '') + (failure.stderr ?? ''), stdout: failure.stdout ?? ''};
	}
}

const files = (dir: string, entries: Record<string, string>): Promise<void[]> => Promise.all(Object.entries(entries).map(async ([path, text]) => {
	await mkdir(join(dir, path, '..'), {recursive: true});
	await writeFile(join(dir, path), text);
}));

/**
 * A Django project with contenttypes and a `notes` app of four migrations: 0001 creates Note,
 * 0002 adds a column (needs ACCESS EXCLUSIVE), 0003 is RunPython without reverse plus a RunSQL that
 * sleeps a second (irreversible, and slow enough to time out or be killed), 0004 adds an index.
 */
export async function makeDjangoProject(dir: string): Promise<void> {
	await files(dir, {
		'manage.py': `import os, sys
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
`,
		'settings.py': `import os
SECRET_KEY = 'test-only'
USE_TZ = True
INSTALLED_APPS = ['django.contrib.contenttypes', 'notes']
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'
DATABASES = {'default': {
    'ENGINE': 'django.db.backends.postgresql',
    'NAME': os.environ['PGDATABASE'], 'USER': os.environ['PGUSER'],
    'HOST': os.environ['PGHOST'], 'PORT': os.environ['PGPORT'],
}}
`,
		'notes/__init__.py': '',
		'notes/models.py': `from django.db import models

class Note(models.Model):
    title = models.CharField(max_length=100, db_index=True)
    body = models.TextField(default='')
`,
		'notes/migrations/__init__.py': '',
		'notes/migrations/0001_initial.py': `from django.db import migrations, models

class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.CreateModel('Note', [('id', models.AutoField(primary_key=True, serialize=False)), ('title', models.CharField(max_length=100))])]
`,
		'notes/migrations/0002_note_body.py': `from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [('notes', '0001_initial')]
    operations = [migrations.AddField('note', 'body', models.TextField(default=''))]
`,
		'notes/migrations/0003_seed.py': `from django.db import migrations

def seed(apps, schema_editor):
    apps.get_model('notes', 'Note').objects.create(title='welcome')

class Migration(migrations.Migration):
    dependencies = [('notes', '0002_note_body')]
    operations = [migrations.RunPython(seed), migrations.RunSQL('SELECT pg_sleep(1)')]
`,
		'notes/migrations/0004_title_index.py': `from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [('notes', '0003_seed')]
    operations = [migrations.AlterField('note', 'title', models.CharField(max_length=100, db_index=True))]
`,
	});
}

/** An Alembic environment (alembic init) with two revisions, aaa111 then bbb222, reading PG* for its URL. */
export async function makeAlembicProject(dir: string): Promise<void> {
	await files(dir, {
		'alembic.ini': `[alembic]
script_location = migrations

[loggers]
keys = root,alembic
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
[logger_alembic]
level = INFO
handlers =
qualname = alembic
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`,
		'migrations/env.py': `import os
from alembic import context
from sqlalchemy import create_engine

url = 'postgresql://{PGUSER}@{PGHOST}:{PGPORT}/{PGDATABASE}'.format(**os.environ)
with create_engine(url).connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
`,
		'migrations/script.py.mako': '',
		'migrations/versions/aaa111_create_notes.py': `"""create notes"""
from alembic import op
import sqlalchemy as sa

revision = 'aaa111'
down_revision = None

def upgrade():
    op.create_table('notes', sa.Column('id', sa.Integer, primary_key=True))

def downgrade():
    op.drop_table('notes')
`,
		'migrations/versions/bbb222_add_body.py': `"""add body"""
from alembic import op
import sqlalchemy as sa

revision = 'bbb222'
down_revision = 'aaa111'

def upgrade():
    op.add_column('notes', sa.Column('body', sa.Text))

def downgrade():
    op.drop_column('notes', 'body')
`,
	});
}
