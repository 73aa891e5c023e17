// Where a JSON text first goes wrong, found by scanning it: JSON.parse's own messages quote the text
// around the problem, and a config file's text may hold a secret, so they are never shown.

export type JsonProblem = {line: number; column: number; reason: string};

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function jsonProblem(text: string): JsonProblem | undefined {
	let index = 0;
	const fail = (reason: string): never => {
		throw Object.assign(new Error(reason), {offset: index});
	};

	const space = () => {
		while (index < text.length && ' \t\n\r'.includes(text[index]!)) {
			index++;
		}
	};

	const expect = (word: string) => {
		if (!text.startsWith(word, index)) {
			fail(unexpected());
		}

		index += word.length;
	};

	const unexpected = (): string => index >= text.length ? 'the text ends too early' : `unexpected ${JSON.stringify(text[index])}`;

	const string = () => {
		const start = index;
		index++;
		while (index < text.length && text[index] !== '"') {
			if (text.charCodeAt(index) < 0x20) {
				fail('a line break or control character inside a string');
			}

			if (text[index] === '\\') {
				index++;
				if (text[index] === 'u' ? !/^u[\da-fA-F]{4}$/.test(text.slice(index, index + 5)) : !'"\\/bfnrt'.includes(text[index] ?? 'x')) {
					fail('a bad escape (\\) inside a string');
				}
			}

			index++;
		}

		if (index >= text.length) {
			// Where it opens is where to look.
			index = start;
			fail('a string that starts here is not closed (a missing ")');
		}

		index++;
	};

	const value = (): void => {
		space();
		const character = text[index];
		if (character === '{' || character === '[') {
			const close = character === '{' ? '}' : ']';
			index++;
			space();
			if (text[index] === close) {
				index++;
				return;
			}

			for (;;) {
				if (close === '}') {
					space();
					if (text[index] !== '"') {
						fail(index >= text.length ? unexpected() : `${unexpected()} where a "quoted" key should be (a trailing comma?)`);
					}

					string();
					space();
					expect(':');
				}

				value();
				space();
				if (text[index] === ',') {
					index++;
					continue;
				}

				if (text[index] === close) {
					index++;
					return;
				}

				fail(index >= text.length ? unexpected() : `${unexpected()} where a comma or "${close}" should be`);
			}
		}

		if (character === '"') {
			string();
			return;
		}

		const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index))?.[0];
		if (number) {
			index += number.length;
			return;
		}

		for (const word of ['true', 'false', 'null']) {
			if (text.startsWith(word, index)) {
				index += word.length;
				return;
			}
		}

		fail(unexpected());
	};

	try {
		value();
		space();
		if (index < text.length) {
			fail(`${unexpected()} after the end of the JSON`);
		}

		return undefined;
	} catch (error) {
		const offset = (error as {offset: number}).offset;
		const before = text.slice(0, offset).split('\n');
		return {line: before.length, column: (before.at(-1)?.length ?? 0) + 1, reason: (error as Error).message};
	}
}
