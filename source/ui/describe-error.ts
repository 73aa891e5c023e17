/** An error for the status line: its message, and the hint when it has one (UsageError, ProviderError). */
export function describeError(error: unknown): string {
	if (error instanceof Error) {
		const hint = 'hint' in error && typeof error.hint === 'string' ? ` ${error.hint}` : '';
		return `${error.message}${hint}`;
	}

	return String(error);
}
