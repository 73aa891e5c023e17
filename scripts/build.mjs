// Bundles the console into ESM for fast start-up: dist/cli.js plus chunks loaded on demand.
import {readFileSync, rmSync} from 'node:fs';
import {build} from 'esbuild';

const {version} = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync('dist', {recursive: true, force: true});

await build({
	entryPoints: ['source/cli.tsx'],
	outdir: 'dist',
	// Code that only some commands need (the UI, the sandbox) loads on demand.
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node22',
	minify: true,
	sourcemap: 'linked',
	legalComments: 'none',
	define: {'process.env.NODE_ENV': '"production"', WHEELHOUSE_VERSION: JSON.stringify(version)},
	// Ink imports react-devtools-core statically; it is only used when DEV=true.
	alias: {'react-devtools-core': './scripts/devtools-stub.mjs'},
	// Native addons (and packages that load them) stay in node_modules.
	external: ['bufferutil', 'utf-8-validate', '@lydell/node-pty', 'ssh2', 'cpu-features'],
	banner: {
		js: "import {createRequire as __createRequire} from 'node:module';const require=__createRequire(import.meta.url);",
	},
	logLevel: 'warning',
});
