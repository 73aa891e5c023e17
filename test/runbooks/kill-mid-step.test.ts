import test from 'ava';
import {killAndResume} from './kill-resume.js';

for (const step of ['plan', 'backup', 'migrate', 'deploy', 'health']) {
	test.serial(`kill -9 during the ${step} step, then resume: the release ends right, nothing repeated`, async t => {
		await killAndResume(t, {step, when: 'during'});
	});
}
