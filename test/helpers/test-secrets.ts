// Every secret the test suite hands to wheelhouse, in one place. scripts/grep-secrets.mjs reads this
// file after the suite and fails if any of them appears in a captured output (run-cli, the setup
// wizard's screens) or in a journal, config or log file the tests left in the temp directory.
// (The sandbox's default token is printed by `wheelhouse sandbox` on purpose: it is no secret.)

/** Pasted into the setup wizard and piped into `context add --token-stdin`; kept in secrets.json only. */
export const setupToken = 'nf_setup_test_secret_3f9a7c1e5b2d';

/** A second stored token, for a context that is removed again. */
export const otherStoredToken = 'nf_other_test_secret_91c2d4e6f8a0';

/** A token the sandbox rejects, typed into the wizard. */
export const rejectedToken = 'nf_rejected_test_secret_5e4d3c2b1a09';

/** Tokens of other tests (test/cli, test/providers, test/sandbox), sent to the sandbox or to a CLI. */
export const otherTestTokens = [
	'nf-secret-token-0123456789abcdef',
	'nf-wrong-0123456789abcdefghij',
	'nf-wrong-token-abcdefghijklmnop',
	'nf-wrong-token-0000-0000-0000',
	'nf-wrong-token-000000000000000000',
	'nf-test-token-1234567890',
	'someone-elses-token-0000',
];

export const testSecrets: readonly string[] = [setupToken, otherStoredToken, rejectedToken, ...otherTestTokens];
