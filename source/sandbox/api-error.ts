/** An answer the sandbox gives as an error envelope: `{error: {message, id?, details?}}` with `status`. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly details?: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'ApiError';
	}
}

export const notFound = (what: string, id: string) => new ApiError(404, `${what} "${id}" not found`);

export const badRequest = (message: string, details?: unknown) => new ApiError(400, message, details);

export const conflict = (message: string) => new ApiError(409, message);
