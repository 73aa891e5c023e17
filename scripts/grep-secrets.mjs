// Run by `npm test` after ava: fails when a test secret (test/helpers/test-secrets.ts) appears in
// anything the suite captured (every run-cli output, the setup wizard's screens) or in a file the
// tests left in the temp directory during this run (journals, configs, logs) — except the
// secrets.json files, where stored tokens belong.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {testSecrets} from '../test/helpers/test-secrets.ts';

const captureDir = process.env.WHEELHOUSE_TEST_CAPTURE_DIR;
if (!captureDir) {
	process.stderr.write('grep-secrets: WHEELHOUSE_TEST_CAPTURE_DIR is not set; `npm test` sets it.\n');
	process.exit(2);
}

// The capture directory is named wheelhouse-captures-<epoch seconds>-XXXXXX when the run starts.
const startedSeconds = Number(/wheelhouse-captures-(\d+)-/.exec(basename(captureDir))?.[1] ?? 0);
const since = (startedSeconds - 1) * 1000;
const maximumBytes = 20 * 1024 * 1024;
const mask = secret => `${secret.slice(0, 3)}…${secret.slice(-4)}`;
const isSecretsFile = name => name === 'secrets.json' || /^secrets\.json\.[\da-f]+\.tmp$/.test(name);

function* files(directory) {
	let entries;
	try {
		entries = readdirSync(directory, {withFileTypes: true});
	} catch {
		return;
	}

	for (const entry of entries) {
		const path = join(directory, entry.name);
		if (entry.isDirectory()) {
			yield* files(path);
		} else if (entry.isFile() && !isSecretsFile(entry.name)) {
			yield path;
		}
	}
}

const roots = new Set([captureDir]);
for (const entry of readdirSync(tmpdir(), {withFileTypes: true})) {
	if (entry.isDirectory() && entry.name.startsWith('wheelhouse-')) {
		roots.add(join(tmpdir(), entry.name));
	}
}

let scanned = 0;
const leaks = [];
for (const root of roots) {
	for (const path of files(root)) {
		let stats;
		try {
			stats = statSync(path);
		} catch {
			continue;
		}

		const captured = path.startsWith(captureDir);
		if ((!captured && stats.mtimeMs < since) || stats.size > maximumBytes) {
			continue;
		}

		let text;
		try {
			text = readFileSync(path, 'latin1');
		} catch {
			continue;
		}

		scanned++;
		for (const secret of testSecrets) {
			if (text.includes(secret)) {
				leaks.push(`${path}: ${mask(secret)}`);
			}
		}
	}
}

if (leaks.length > 0) {
	process.stderr.write(`grep-secrets: test secrets found in ${leaks.length} place(s):\n${leaks.map(leak => `  ${leak}`).join('\n')}\n`);
	process.exit(1);
}

process.stdout.write(`grep-secrets: none of ${testSecrets.length} test secrets in ${scanned} captured outputs and temp files.\n`);
