/**
 * Runs `load` with the global fetch hidden. Yoga (Ink's layout engine) decodes its embedded
 * WebAssembly through fetch() of a data: URL when fetch exists, which loads Node's whole HTTP client
 * (undici, ~45 ms) before the first frame; without fetch it decodes the same bytes directly. The HTTP
 * client is loaded anyway afterwards, when the first API call is made.
 */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
	const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	if (!descriptor?.configurable) {
		return load();
	}

	Object.defineProperty(globalThis, 'fetch', {value: undefined, configurable: true, writable: true});
	try {
		return await load();
	} finally {
		Object.defineProperty(globalThis, 'fetch', descriptor);
	}
}
