#!/usr/bin/env bash
# Installs the real servers the tests start on loopback (OpenSSH's sshd), when they are missing.
set -euo pipefail
if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "The tests need OpenSSH's sshd: install the openssh-server package (as root: apt-get install openssh-server)." >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
	# Tests start their own sshd with their own config; the system one stays off.
	command -v service >/dev/null 2>&1 && service ssh stop >/dev/null 2>&1 || true
fi
