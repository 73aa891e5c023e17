// A SCRAM-SHA-256 verifier for `ALTER ROLE ... PASSWORD '<verifier>'` (RFC 5803, as PostgreSQL stores
// it), so the password itself never travels to the server as SQL text, where an error could log it.
import {createHash, createHmac, pbkdf2Sync, randomBytes} from 'node:crypto';

const iterations = 4096;

/** For passwords that need no SASLprep (ASCII without control characters, as generated ones are). */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16)): string {
	const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
	const clientKey = createHmac('sha256', salted).update('Client Key').digest();
	const storedKey = createHash('sha256').update(clientKey).digest();
	const serverKey = createHmac('sha256', salted).update('Server Key').digest();
	return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
