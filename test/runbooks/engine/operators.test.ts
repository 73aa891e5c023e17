import {PassThrough} from 'node:stream';
import test from 'ava';
import {promptOperator, queueOperator, yesOperator} from '../../../source/runbooks/engine/operators.js';
import type {ChoiceRequest, ConfirmRequest} from '../../../source/runbooks/types.js';

const deploy: ConfirmRequest = {stepId: 'deploy', title: 'Deploy the new build', lines: ['Deploy quiet-prairie-8724 to notechondria-backend'], impact: 'mutate'};
const restore: ConfirmRequest = {stepId: 'restore', title: 'Restore the backup', lines: ['Restore bk-1 into notechondria-postgres'], impact: 'destructive', typeToConfirm: 'notechondria-postgres'};
const protectedDeploy: ConfirmRequest = {...deploy, typeToConfirm: 'production'};
const failed: ChoiceRequest = {title: 'Run the migration failed', lines: ['lock timeout'], actions: [{id: 'retry', label: 'Run it again'}, {id: 'restore-backup', label: 'Restore the backup', explanation: 'Writes since the backup are lost.'}]};

test('--yes confirms everything but a destructive step\'s typed confirmation, unless given its name', async t => {
	const yes = yesOperator({name: 'ci'});
	t.true(await yes.confirm(deploy));
	t.true(await yes.confirm(protectedDeploy));
	t.false(await yes.confirm(restore));
	t.is(await yes.choose(failed), undefined, 'after a failure --yes stops');
	t.is(await yes.ask({title: 'Override', lines: [], expect: 'migrate without backup'}), undefined);
	const named = yesOperator({name: 'ci', confirmText: 'notechondria-postgres'});
	t.true(await named.confirm(restore));
	t.false(await yesOperator({name: 'ci', confirmText: 'notechondria'}).confirm(restore));
	t.is(await named.ask({title: 'Override', lines: [], expect: 'notechondria-postgres'}), 'notechondria-postgres');
});

function terminal() {
	const input = new PassThrough();
	const output = new PassThrough();
	let shown = '';
	output.on('data', (chunk: Buffer) => {
		shown += chunk.toString('utf8');
	});
	return {input, output, shown: () => shown};
}

test('the prompt shows the step and runs it only on yes; anything else, or nothing, is no', async t => {
	const io = terminal();
	const operator = promptOperator({name: 'alice', input: io.input, output: io.output});
	const answered = operator.confirm(deploy);
	io.input.write('yes\n');
	t.true(await answered);
	t.true(io.shown().includes('Deploy the new build\n  Deploy quiet-prairie-8724 to notechondria-backend\nType yes to run this step [no]: '));
	io.input.write('\n');
	t.false(await operator.confirm(deploy), 'the default is no');
	io.input.write('sure\n');
	t.false(await operator.confirm(deploy));
	io.input.write('notechondria-postgres\n');
	t.true(await operator.confirm(restore));
	t.true(io.shown().includes('Type notechondria-postgres to confirm: '));
	io.input.write('yes\n');
	t.false(await operator.confirm(restore), 'a typed confirmation needs the name, not yes');
	operator.close();
});

test('the prompt lists next actions by number, with s to stop (the default)', async t => {
	const io = terminal();
	const operator = promptOperator({name: 'alice', input: io.input, output: io.output});
	io.input.write('7\n2\n');
	t.is(await operator.choose(failed), 'restore-backup');
	t.true(io.shown().includes('  1) Run it again\n  2) Restore the backup — Writes since the backup are lost.\n  s) stop\n'));
	t.true(io.shown().includes('"7" is not one of the choices.'));
	io.input.write('\n');
	t.is(await operator.choose(failed), undefined);
	io.input.write('override\n');
	t.is(await operator.ask({title: 'Migrate without a readable backup?', lines: ['The backup could not be listed.'], expect: 'migrate without backup'}), 'override');
	io.input.end();
	t.false(await operator.confirm(deploy), 'end of input is no');
	t.is(await operator.choose(failed), undefined);
});

test('the queue operator holds one question until it is answered', async t => {
	const operator = queueOperator({name: 'alice'});
	t.is(operator.current, undefined);
	t.throws(() => {
		operator.answer(true);
	}, {message: 'There is no question waiting for an answer.'});
	const confirmed = operator.confirm(deploy);
	t.deepEqual(await operator.next(), {type: 'confirm', request: deploy});
	t.throws(() => {
		operator.answer('retry');
	}, {instanceOf: TypeError});
	operator.answer(true);
	t.true(await confirmed);
	const next = operator.next();
	const chosen = operator.choose(failed);
	t.is((await next).type, 'choose');
	operator.answer('retry');
	t.is(await chosen, 'retry');
	const abandoned = operator.confirm(deploy);
	const replacing = operator.ask({title: 'Override', lines: [], expect: 'yes I am sure'});
	t.false(await abandoned, 'a question left unanswered is cancelled by the next');
	operator.answer('yes I am sure');
	t.is(await replacing, 'yes I am sure');
});
