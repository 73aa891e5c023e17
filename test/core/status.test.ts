import test from 'ava';
import {deriveServiceHealth} from '../../source/core/status.js';
import type {Build, Container, Service} from '../../source/core/types.js';

const service = (overrides: Partial<Service> = {}): Service => ({
	id: 'web',
	name: 'web',
	kind: 'combined',
	deployment: {status: 'completed', rawStatus: 'COMPLETED'},
	paused: false,
	instances: 2,
	...overrides,
});

const container = (status: Container['status']): Container => ({name: `web-${status}`, status, rawStatus: status});
const build = (status: Build['status']): Build => ({id: 'b1', sha: 'abcdef0123456789', status, rawStatus: status.toUpperCase()});

test('a completed deployment with every instance running is healthy', t => {
	t.like(deriveServiceHealth(service(), [container('running'), container('running')]), {health: 'healthy', reason: '2 instances running'});
});

test('fewer running containers than instances is degraded, none is down', t => {
	t.is(deriveServiceHealth(service(), [container('running'), container('failed')]).health, 'degraded');
	t.like(deriveServiceHealth(service(), [container('failed')]), {health: 'down', reason: '1 container failed, none running'});
	t.is(deriveServiceHealth(service(), []).health, 'down');
});

test('a deployment in progress is deploying and says how many still serve', t => {
	const result = deriveServiceHealth(service({deployment: {status: 'in-progress', rawStatus: 'IN_PROGRESS', reason: 'DEPLOYING'}}), [container('running'), container('starting')]);
	t.is(result.health, 'deploying');
	t.is(result.reason, 'deployment deploying, 1 serving');
});

test('a failed deployment still serving the old containers is degraded; with nothing running it is down', t => {
	const failed = service({deployment: {status: 'failed', rawStatus: 'FAILED'}});
	t.is(deriveServiceHealth(failed, [container('running')]).health, 'degraded');
	t.is(deriveServiceHealth(failed, []).health, 'down');
});

test('a failed latest build marks a serving service degraded and names the build', t => {
	const result = deriveServiceHealth(service({instances: 1}), [container('running')], build('failure'));
	t.is(result.health, 'degraded');
	t.regex(result.reason, /abcdef0 failed/);
});

test('paused and scaled-to-zero services are paused, not down', t => {
	t.is(deriveServiceHealth(service({paused: true}), []).health, 'paused');
	t.is(deriveServiceHealth(service({instances: 0}), []).health, 'paused');
});

test('without containers fetched yet, health comes from the deployment alone', t => {
	t.is(deriveServiceHealth(service(), undefined).health, 'healthy');
	t.is(deriveServiceHealth(service({deployment: {status: 'unknown', rawStatus: 'WHATEVER'}}), undefined).health, 'unknown');
});
