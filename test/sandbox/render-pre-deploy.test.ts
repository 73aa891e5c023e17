// The sandbox's Render face runs a service's pre-deploy command for real (the job runner's built-in
// migrator, from the deploy's build, against the addon database) before the deploy rolls out.
import test, {type ExecutionContext} from 'ava';
import pg from 'pg';
import {startSandbox} from '../../source/sandbox/index.js';
import {responseProblems} from '../helpers/render-openapi.js';
import {startPostgres} from '../helpers/postgres.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function renderSandbox(t: ExecutionContext) {
	const postgres = await startPostgres({database: 'notechondria'});
	const url = `postgresql://postgres@127.0.0.1:${postgres.port}/notechondria`;
	const sandbox = await startSandbox({port: 0, database: {url}, timeScale: 20});
	t.teardown(async () => {
		await sandbox.close();
		await postgres.stop();
	});
	const checked = async (method: string, template: string, path: string, body?: unknown): Promise<{status: number; body: Json}> => {
		const response = await fetch(`${sandbox.url}/v1${path}`, {
			method,
			headers: {authorization: `Bearer ${sandbox.renderToken}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		const reply = {status: response.status, body: text === '' ? undefined : JSON.parse(text) as Json};
		t.deepEqual(responseProblems(method, template, reply.status, reply.body), [], `${method} ${path} → ${reply.status} ${text.slice(0, 300)}`);
		return reply;
	};

	const applied = async (): Promise<string[]> => {
		const client = new pg.Client({connectionString: url});
		await client.connect();
		try {
			return (await client.query<{label: string}>('SELECT app || \'.\' || name AS label FROM django_migrations ORDER BY id')).rows.map(row => row.label);
		} finally {
			await client.end();
		}
	};

	const owner = (await checked('GET', '/owners', '/owners')).body[0].owner.id as string;
	const serviceId = (await checked('GET', '/services', `/services?ownerId=${owner}`)).body[0].service.id as string;
	/** Follows a deploy until it ends, returning every status it was seen in. */
	const follow = async (deployId: string): Promise<string[]> => {
		const seen: string[] = [];
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			const {status} = (await checked('GET', '/services/{serviceId}/deploys/{deployId}', `/services/${serviceId}/deploys/${deployId}`)).body as {status: string};
			if (seen.at(-1) !== status) {
				seen.push(status);
			}

			if (['live', 'pre_deploy_failed', 'build_failed', 'update_failed', 'canceled', 'deactivated'].includes(status)) {
				break;
			}

			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}

		return seen;
	};

	const live = async () => (await checked('GET', '/services/{serviceId}/deploys', `/services/${serviceId}/deploys?status=live`)).body[0]?.deploy?.id as string | undefined;
	return {sandbox, checked, applied, follow, live, owner, serviceId};
}

test('PATCH serviceDetails.preDeployCommand sets it; the service shows it in envSpecificDetails; bad values are 400', async t => {
	const {checked, serviceId} = await renderSandbox(t);
	const patched = await checked('PATCH', '/services/{serviceId}', `/services/${serviceId}`, {serviceDetails: {preDeployCommand: 'python manage.py migrate --noinput'}});
	t.is(patched.status, 200);
	t.is(patched.body.serviceDetails.envSpecificDetails.preDeployCommand, 'python manage.py migrate --noinput');
	t.is((await checked('GET', '/services/{serviceId}', `/services/${serviceId}`)).body.serviceDetails.envSpecificDetails.preDeployCommand, 'python manage.py migrate --noinput');
	t.is((await checked('PATCH', '/services/{serviceId}', `/services/${serviceId}`, {serviceDetails: {preDeployCommand: 42}})).status, 400);
	t.is((await checked('PATCH', '/services/{serviceId}', `/services/${serviceId}`, {serviceDetails: {plan: 'pro'}})).status, 400);
	const cleared = await checked('PATCH', '/services/{serviceId}', `/services/${serviceId}`, {serviceDetails: {preDeployCommand: ''}});
	t.is(cleared.body.serviceDetails.envSpecificDetails.preDeployCommand, undefined);
});

test('a deploy runs the pre-deploy migration from its build before it goes live, and logs it under the service', async t => {
	const {checked, applied, follow, live, owner, serviceId} = await renderSandbox(t);
	await checked('PATCH', '/services/{serviceId}', `/services/${serviceId}`, {serviceDetails: {preDeployCommand: 'python manage.py migrate --noinput'}});
	const created = await checked('POST', '/services/{serviceId}/deploys', `/services/${serviceId}/deploys`, {});
	t.is(created.status, 201);
	const statuses = await follow(created.body.id as string);
	t.deepEqual(statuses.filter(status => !['created', 'queued'].includes(status)), ['build_in_progress', 'pre_deploy_in_progress', 'update_in_progress', 'live']);
	t.is(await live(), created.body.id);
	const newest = (await applied()).at(-1)!;
	const logs = await checked('GET', '/logs', `/logs?ownerId=${owner}&resource=${serviceId}&text=${encodeURIComponent(newest.split('.')[1]!)}&limit=100`);
	t.is(logs.status, 200, JSON.stringify(logs.body));
	t.true((logs.body.logs as Array<{message: string}>).some(entry => entry.message.includes(newest)), `the pre-deploy run's output names ${newest}`);
});

test('a failing pre-deploy command ends the deploy pre_deploy_failed; the service stays on its live deploy', async t => {
	const {sandbox, checked, follow, live, serviceId} = await renderSandbox(t);
	await checked('PATCH', '/services/{serviceId}', `/services/${serviceId}`, {serviceDetails: {preDeployCommand: 'python manage.py migrate --noinput'}});
	const before = await live();
	sandbox.failNext('job-run');
	const created = await checked('POST', '/services/{serviceId}/deploys', `/services/${serviceId}/deploys`, {});
	const statuses = await follow(created.body.id as string);
	t.is(statuses.at(-1), 'pre_deploy_failed');
	t.true(statuses.includes('pre_deploy_in_progress'));
	t.is(await live(), before);
});
