/**
 * Masks secrets in text before it reaches the screen, a log or an error: a secret becomes its
 * first three and last four characters around an ellipsis (`nf_…a1b2`), or `…` when it is short.
 */
export class Redactor {
	private readonly secrets = new Set<string>();

	add(secret: string | undefined): void {
		if (secret && secret.length >= 6) {
			this.secrets.add(secret);
		}
	}

	redact(text: string): string {
		let result = text;
		for (const secret of this.secrets) {
			result = result.split(secret).join(maskSecret(secret));
		}

		return result;
	}
}

export function maskSecret(secret: string): string {
	return secret.length < 16 ? '…' : `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

/** One redactor for the process: every secret the console learns is added to it. */
export const processRedactor = new Redactor();
