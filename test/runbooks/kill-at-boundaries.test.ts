import test from 'ava';
import {killAndResume} from './kill-resume.js';

for (const step of ['record', 'plan', 'backup', 'verify-backup', 'migrate', 'deploy']) {
	test.serial(`kill -9 after the ${step} step, then resume: the release ends right, nothing repeated`, async t => {
		await killAndResume(t, {step, when: 'after'});
	});
}
