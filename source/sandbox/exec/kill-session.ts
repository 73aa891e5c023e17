// Ends every process an exec session started. Each session's process leads its own session (the pty
// and `detached` both call setsid), and everything it starts stays in that session unless it
// deliberately leaves, so signalling the session leaves no orphans behind.
import {readdirSync, readFileSync} from 'node:fs';

/** Sends `signal` to every process in the session led by `leader`; false if none was found. */
export function signalSession(leader: number, signal: NodeJS.Signals): boolean {
	const members = sessionMembers(leader);
	if (members === undefined) {
		// No /proc (macOS): the leader's process group is the closest thing.
		return send(-leader, signal);
	}

	let any = false;
	for (const pid of members) {
		any = send(pid, signal) || any;
	}

	return any;
}

export function killSession(leader: number): void {
	signalSession(leader, 'SIGKILL');
}

function sessionMembers(leader: number): number[] | undefined {
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return undefined;
	}

	const members: number[] = [];
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command name, which may itself hold spaces and parentheses: state ppid pgrp session.
			const session = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
			if (session === leader) {
				members.push(Number(entry));
			}
		} catch {
			// Gone meanwhile.
		}
	}

	return members;
}

function send(pid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(pid, signal);
		return true;
	} catch {
		return false;
	}
}
