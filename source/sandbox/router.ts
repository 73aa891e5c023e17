// Matches "/projects/:projectId/services" style paths. Node 22 (still supported) has no URLPattern.

export type Route<H> = {method: string; pattern: string; handler: H};

export type RouteMatch<H> =
	| {kind: 'found'; route: Route<H>; params: Record<string, string>}
	| {kind: 'wrong-method'; allowed: string[]}
	| {kind: 'none'};

export function matchRoute<H>(routes: ReadonlyArray<Route<H>>, method: string, path: string): RouteMatch<H> {
	const segments = splitPath(path);
	const allowed: string[] = [];
	for (const route of routes) {
		const params = matchSegments(splitPath(route.pattern), segments);
		if (!params) {
			continue;
		}

		if (route.method === method) {
			return {kind: 'found', route, params};
		}

		allowed.push(route.method);
	}

	return allowed.length > 0 ? {kind: 'wrong-method', allowed} : {kind: 'none'};
}

function splitPath(path: string): string[] {
	return path.split('/').filter(segment => segment !== '');
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
	if (pattern.length !== segments.length) {
		return undefined;
	}

	const params: Record<string, string> = {};
	for (const [index, part] of pattern.entries()) {
		const segment = segments[index]!;
		if (part.startsWith(':')) {
			params[part.slice(1)] = safeDecode(segment);
		} else if (part !== segment) {
			return undefined;
		}
	}

	return params;
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
