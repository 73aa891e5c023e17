import test from 'ava';
import {addonPath, FakeClock, sandboxFor, servicePath, type Client, type Json} from './helpers.js';

async function walk(api: Client, path: string, key: string, perPage: number, beforeEachPage?: (page: number) => Promise<void>): Promise<{items: Json[]; pages: Json[]}> {
	const items: Json[] = [];
	const pages: Json[] = [];
	let cursor: string | undefined;
	do {
		await beforeEachPage?.(pages.length);
		const query = `per_page=${perPage}${cursor ? `&cursor=${cursor}` : ''}`;
		const reply = await api.get(`${path}?${query}`);
		if (reply.status !== 200) {
			throw new Error(`page ${pages.length} answered ${reply.status}`);
		}

		pages.push(reply.body.pagination);
		items.push(...reply.body.data[key]);
		cursor = reply.body.pagination.cursor;
	} while (cursor !== undefined);

	return {items, pages};
}

test('walking builds two per page returns every build exactly once', async t => {
	const api = await sandboxFor(t);
	const all = await api.get(`${servicePath}/build`);
	const {items, pages} = await walk(api, `${servicePath}/build`, 'builds', 2);
	t.deepEqual(items.map(build => build.id), all.body.data.builds.map((build: Json) => build.id));
	t.true(pages.length >= 4);
	for (const page of pages.slice(0, -1)) {
		t.true(page.hasNextPage);
		t.is(page.count, 2);
		t.regex(page.cursor, /^[\w-]+$/, 'cursor is safe unencoded in a query string');
	}

	const last = pages.at(-1);
	t.false(last.hasNextPage);
	t.is(last.cursor, undefined);
});

test('a build started while a client pages does not shift the pages', async t => {
	const api = await sandboxFor(t, {now: new FakeClock().now});
	const before = await api.get(`${servicePath}/build`);
	const {items} = await walk(api, `${servicePath}/build`, 'builds', 3, async page => {
		if (page === 1) {
			await api.post(`${servicePath}/build`, {});
		}
	});
	t.deepEqual(items.map(build => build.id), before.body.data.builds.map((build: Json) => build.id));
});

test('per_page defaults to 50, accepts 100 and refuses more', async t => {
	const api = await sandboxFor(t, {now: new FakeClock().now});
	await Promise.all(Array.from({length: 45}, async () => api.post(`${servicePath}/build`, {})));
	const byDefault = await api.get(`${servicePath}/build`);
	t.is(byDefault.body.data.builds.length, 50);
	t.like(byDefault.body.pagination, {hasNextPage: true, count: 50});
	const fine = await api.get(`${servicePath}/build?per_page=100`);
	t.is(fine.status, 200);
	t.false(fine.body.pagination.hasNextPage);
	t.true(fine.body.data.builds.length > 50);
	for (const bad of ['101', '0', '-1', 'ten', '2.5']) {
		const reply = await api.get(`${servicePath}/build?per_page=${bad}`);
		t.is(reply.status, 400, bad);
		t.regex(reply.body.error.message, /per_page/);
	}
});

test('page numbers work too', async t => {
	const api = await sandboxFor(t);
	const all = await api.get(`${servicePath}/build`);
	const second = await api.get(`${servicePath}/build?per_page=3&page=2`);
	t.deepEqual(second.body.data.builds, all.body.data.builds.slice(3, 6));
	const beyond = await api.get(`${servicePath}/build?per_page=3&page=99`);
	t.deepEqual(beyond.body, {data: {builds: []}, pagination: {hasNextPage: false, count: 0}});
});

test('a cursor that was never issued is 400', async t => {
	const api = await sandboxFor(t);
	const reply = await api.get(`${servicePath}/build?cursor=bogus`);
	t.is(reply.status, 400);
	t.regex(reply.body.error.message, /cursor/);
});

test('backups, runs and the other lists paginate the same way', async t => {
	const api = await sandboxFor(t);
	const backups = await walk(api, `${addonPath}/backups`, 'backups', 1);
	t.is(backups.items.length, new Set(backups.items.map(backup => backup.id)).size);
	t.true(backups.items.length >= 2);
	const runs = await walk(api, '/v1/projects/notechondria/jobs/notechondria-migrate/runs', 'runs', 1);
	t.true(runs.items.length >= 2);
	const services = await api.get('/v1/projects/notechondria/services?per_page=1');
	t.deepEqual(services.body.pagination, {hasNextPage: false, count: 1});
});
