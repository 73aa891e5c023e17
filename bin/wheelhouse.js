#!/usr/bin/env node
// Runs before the bundle: checks Node, answers --version without loading anything else, and maps
// NO_COLOR onto FORCE_COLOR=0 because Ink's colour library decides at import time and ignores NO_COLOR.
import {readFileSync} from 'node:fs';
import module from 'node:module';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
	process.stderr.write(`wheelhouse: needs Node.js 22 or newer; this is ${process.version}.\n  Run it with \`npm start\` from the repository (it brings Node 24), or install Node 22+.\n`);
	process.exit(2);
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
	const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
	process.stdout.write(`${version}\n`);
	process.exit(0);
}

if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') {
	process.env.FORCE_COLOR = '0';
}

process.env.NODE_ENV ??= 'production';
// Reuses V8's compiled code between runs (Node 22.1+): a faster start after the first.
module.enableCompileCache?.();
await import('../dist/cli.js');
