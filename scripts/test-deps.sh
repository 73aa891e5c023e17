#!/usr/bin/env bash
# Installs the real servers the tests start on loopback, when they are missing: OpenSSH's sshd (with
# the client tools ssh-keygen, ssh-agent, ssh-add), PostgreSQL's server programs (initdb, pg_ctl), and
# Python 3 with Django, psycopg2 and Alembic.
set -euo pipefail

packages=()
if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
	packages+=(openssh-server)
fi

if ! command -v initdb >/dev/null 2>&1 && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
	packages+=(postgresql)
fi

# Debian's own python3 (what a job container's PATH finds) with Django, psycopg2 and Alembic: the Django
# fixture app of the job-run tests, and real migration tools' output for the parsers' tests.
if ! /usr/bin/python3 -c 'import django, psycopg2, alembic' >/dev/null 2>&1; then
	packages+=(python3-django python3-psycopg2 python3-alembic)
fi

# PyYAML for the `docker` stand-in of the Compose provider's tests (test/fixtures/docker-standin).
if ! /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then
	packages+=(python3-yaml)
fi

if [ ${#packages[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "The tests need ${packages[*]}: install them (as root: apt-get install ${packages[*]})." >&2
		exit 1
	fi

	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
	# Tests start their own servers with their own configs; the system ones stay off.
	if command -v service >/dev/null 2>&1; then
		service ssh stop >/dev/null 2>&1 || true
		service postgresql stop >/dev/null 2>&1 || true
	fi
fi
