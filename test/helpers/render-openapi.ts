// Checks the sandbox's Render face against Render's published OpenAPI spec
// (../shared/reference/render-openapi.json) with Ajv.
import {readFileSync} from 'node:fs';
import {Ajv, type ValidateFunction} from 'ajv';
import addFormatsModule from 'ajv-formats';

const specPath = new URL('../../../shared/reference/render-openapi.json', import.meta.url);

type Spec = {paths: Record<string, Record<string, {responses: Record<string, {$ref?: string; content?: Record<string, unknown>}>}>>; components: {responses: Record<string, {content?: Record<string, unknown>}>}};

/**
 * The spec's `oneOf`s (service details, event details, env details) list variants that are not
 * mutually exclusive (a web service's details also satisfy the private-service and worker variants;
 * nothing discriminates them), so a real Render answer can never match exactly one. They are checked
 * as `anyOf`: the answer must match at least one variant in full. References into a `oneOf` follow it.
 */
function oneOfAsAnyOf(node: unknown): unknown {
	if (Array.isArray(node)) {
		return node.map(item => oneOfAsAnyOf(item));
	}

	if (typeof node === 'object' && node !== null) {
		return Object.fromEntries(Object.entries(node).map(([key, value]) => [key === 'oneOf' ? 'anyOf' : key, oneOfAsAnyOf(value)]));
	}

	return typeof node === 'string' && node.startsWith('#/') ? node.replaceAll('/oneOf/', '/anyOf/') : node;
}

const spec = oneOfAsAnyOf(JSON.parse(readFileSync(specPath, 'utf8'))) as Spec;
const ajv = new Ajv({strict: false, allErrors: true, validateSchema: false});
// ajv-formats is CommonJS: its function is the default export's `default` under Node's ESM loader.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = (addFormatsModule as unknown as {default?: AddFormats}).default ?? (addFormatsModule as unknown as AddFormats);
addFormats(ajv);
ajv.addSchema(spec as object, 'render-openapi.json');

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');
const compiled = new Map<string, ValidateFunction>();

function validatorAt(pointer: string): ValidateFunction {
	let validate = compiled.get(pointer);
	if (!validate) {
		validate = ajv.compile({$ref: `render-openapi.json#${pointer}`});
		compiled.set(pointer, validate);
	}

	return validate;
}

/**
 * Problems with `body` as the answer `status` to `METHOD pathTemplate` (e.g. 'GET', '/services/{serviceId}'),
 * or [] when it is what the spec documents. A status the spec does not list for the operation is a problem.
 */
export function responseProblems(method: string, pathTemplate: string, status: number, body: unknown): string[] {
	const operation = spec.paths[pathTemplate]?.[method.toLowerCase()];
	if (!operation) {
		return [`the spec has no ${method} ${pathTemplate}`];
	}

	const response = operation.responses[String(status)];
	if (!response) {
		return [`the spec lists no ${status} answer for ${method} ${pathTemplate} (it lists ${Object.keys(operation.responses).join(', ')})`];
	}

	const base = response.$ref === undefined
		? `/paths/${escape(pathTemplate)}/${method.toLowerCase()}/responses/${status}`
		: response.$ref.slice(1);
	const resolved = response.$ref === undefined ? response : spec.components.responses[response.$ref.split('/').at(-1)!]!;
	if (!resolved.content?.['application/json']) {
		return body === undefined ? [] : [`${method} ${pathTemplate} ${status} has no body in the spec, got one`];
	}

	const validate = validatorAt(`${base}/content/application~1json/schema`);
	return validate(body) ? [] : (validate.errors ?? []).map(error => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

/** Problems with one frame of the `/logs/subscribe` WebSocket. */
export function subscribeFrameProblems(frame: unknown): string[] {
	const validate = validatorAt('/paths/~1logs~1subscribe/get/responses/101/content/application~1json/schema');
	return validate(frame) ? [] : (validate.errors ?? []).map(error => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
