import {ProviderError} from '../../source/core/errors.js';

/** The ProviderError a call is expected to fail with; anything else fails the test. */
export async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ProviderError) {
			return error;
		}

		throw error;
	}

	throw new Error('expected a ProviderError');
}
