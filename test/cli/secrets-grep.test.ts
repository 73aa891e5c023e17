// The guard `npm test` runs after the suite (scripts/grep-secrets.mjs): it must find a test secret
// in a captured output, and ignore secrets.json, where stored tokens belong.
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import {setupToken} from '../helpers/test-secrets.js';

const run = promisify(execFile);
const script = new URL('../../scripts/grep-secrets.mjs', import.meta.url).pathname;

async function grep(captureDir: string): Promise<{code: number; stdout: string; stderr: string}> {
	try {
		const {stdout, stderr} = await run(process.execPath, ['--import=tsx', script], {env: {...process.env, WHEELHOUSE_TEST_CAPTURE_DIR: captureDir}});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failure = error as {code: number; stdout: string; stderr: string};
		return {code: failure.code, stdout: failure.stdout, stderr: failure.stderr};
	}
}

test('a test secret in a captured output fails the run, named by file and masked; secrets.json does not', async t => {
	// Outside the wheelhouse-* temp dirs, so the real run after the suite does not see this test's leak.
	const root = mkdtempSync(join(tmpdir(), 'grep-secrets-check-'));
	t.teardown(() => {
		rmSync(root, {recursive: true, force: true});
	});
	const captureDir = join(root, `wheelhouse-captures-${Math.floor(Date.now() / 1000)}-check`);
	mkdirSync(captureDir);
	writeFileSync(join(captureDir, 'secrets.json'), JSON.stringify({tokens: {prod: setupToken}}));
	writeFileSync(join(captureDir, 'output-1.log'), 'wheelhouse: all fine\n');
	const clean = await grep(captureDir);
	t.is(clean.code, 0, clean.stderr);

	writeFileSync(join(captureDir, 'output-2.log'), `Authorization: Bearer ${setupToken}\n`);
	const leaked = await grep(captureDir);
	t.is(leaked.code, 1);
	t.true(leaked.stderr.includes(`${join(captureDir, 'output-2.log')}: nf_…5b2d`), leaked.stderr);
	t.false(leaked.stderr.includes(setupToken), 'the report masks what it found');
});
