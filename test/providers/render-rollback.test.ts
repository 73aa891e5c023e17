import test from 'ava';
import {RenderProvider} from '../../source/providers/render/provider.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {responseProblems} from '../helpers/render-openapi.js';

async function renderWorld() {
	const sandbox = await startSandbox({port: 0, database: 'simulated', timeScale: 100});
	const provider = new RenderProvider({baseUrl: sandbox.url, apiKey: sandbox.renderToken, platformName: 'the sandbox (Render)'});
	const patch = async (serviceId: string, body: unknown) => {
		const response = await fetch(`${sandbox.url}/v1/services/${serviceId}`, {method: 'PATCH', headers: {authorization: `Bearer ${sandbox.renderToken}`, 'content-type': 'application/json'}, body: JSON.stringify(body)});
		return {status: response.status, body: await response.json() as unknown};
	};

	const get = async (serviceId: string) => {
		const response = await fetch(`${sandbox.url}/v1/services/${serviceId}`, {headers: {authorization: `Bearer ${sandbox.renderToken}`}});
		return await response.json() as {autoDeploy: string};
	};

	return {sandbox, provider, patch, get};
}

test('an API rollback leaves auto-deploy on and says so; setAutoDeploy turns it off for good', async t => {
	const {sandbox, provider, get} = await renderWorld();
	t.teardown(async () => sandbox.close());
	const [service] = await provider.listServices();
	const [, previous] = await provider.listBuilds(service!.id, 3);

	const rollback = await provider.rollback(service!.id, previous!.id);
	t.is(rollback.deploy.sha, previous!.sha);
	t.true(rollback.autoDeploy);
	t.regex(rollback.warning ?? '', /Auto-deploy is still on/);
	t.is((await get(service!.id)).autoDeploy, 'yes', 'Render\'s API rollback does not touch autoDeploy');

	t.deepEqual(await provider.setAutoDeploy(service!.id, false), {autoDeploy: false});
	t.is((await get(service!.id)).autoDeploy, 'no');
	const again = await provider.rollback(service!.id, previous!.id);
	t.false(again.autoDeploy);
	t.is(again.warning, undefined, 'no warning once auto-deploy is off');

	t.deepEqual(await provider.setAutoDeploy(service!.id, true), {autoDeploy: true});
	t.is((await get(service!.id)).autoDeploy, 'yes');
});

test('the sandbox answers PATCH /services/{id} as the spec documents, and refuses what it cannot change', async t => {
	const {sandbox, provider, patch} = await renderWorld();
	t.teardown(async () => sandbox.close());
	const [service] = await provider.listServices();

	const updated = await patch(service!.id, {autoDeploy: 'no'});
	t.is(updated.status, 200);
	t.deepEqual(responseProblems('PATCH', '/services/{serviceId}', updated.status, updated.body), []);
	t.like(updated.body, {id: service!.id, autoDeploy: 'no'});

	const wrongValue = await patch(service!.id, {autoDeploy: 'off'});
	t.is(wrongValue.status, 400);
	t.deepEqual(responseProblems('PATCH', '/services/{serviceId}', wrongValue.status, wrongValue.body), []);
	t.regex((wrongValue.body as {message: string}).message, /autoDeploy must be "yes" or "no"/);

	const unsupported = await patch(service!.id, {branch: 'release'});
	t.is(unsupported.status, 400);
	t.regex((unsupported.body as {message: string}).message, /only autoDeploy.*branch/);

	const missing = await patch('srv-00000000000000000000', {autoDeploy: 'no'});
	t.is(missing.status, 404);
	t.deepEqual(responseProblems('PATCH', '/services/{serviceId}', missing.status, missing.body), []);
});
