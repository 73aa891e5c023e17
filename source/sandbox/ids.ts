import {createHash} from 'node:crypto';

const adjectives = ['joyous', 'brave', 'calm', 'eager', 'fuzzy', 'gentle', 'happy', 'jolly', 'lively', 'mellow', 'nimble', 'proud', 'quiet', 'rapid', 'silly', 'sunny', 'swift', 'tidy', 'vivid', 'witty'];
const nouns = ['view', 'river', 'meadow', 'falcon', 'harbor', 'lantern', 'maple', 'orbit', 'pebble', 'quartz', 'ridge', 'signal', 'summit', 'thicket', 'valley', 'willow', 'canyon', 'ember', 'glacier', 'prairie'];
// Kubernetes draws pod-name suffixes from this alphabet (no vowels, no look-alike digits).
const podAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Deterministic ids and shas: each value is a hash of the seed and a counter kept in the state, so the
 * same seed gives the same world, and a reloaded state never hands out an id twice.
 */
export class IdSource {
	constructor(private readonly counter: {seed: number; sequence: number}) {}

	sha(): string {
		return this.bytes().toString('hex').slice(0, 40);
	}

	hex(length: number): string {
		return this.bytes().toString('hex').slice(0, length);
	}

	uuid(): string {
		const hex = this.hex(32);
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}

	/** An integer in [0, max). */
	int(max: number): number {
		return this.bytes().readUInt32BE(0) % max;
	}

	/** A number in [0, 1). */
	fraction(): number {
		return this.bytes().readUInt32BE(0) / 2 ** 32;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)]!;
	}

	/** Shaped like Northflank's build ids, e.g. "joyous-view-6290". */
	buildId(): string {
		return `${this.pick(adjectives)}-${this.pick(nouns)}-${1000 + this.int(9000)}`;
	}

	/** The hash Kubernetes gives one rollout's pods, e.g. "78b4d4459d". */
	templateHash(): string {
		return this.hex(10);
	}

	/** Shaped like a Kubernetes pod name, e.g. "notechondria-backend-78b4d4459d-sbtn8". */
	podName(workload: string, templateHash: string): string {
		const suffix = Array.from(this.bytes().subarray(0, 5), byte => podAlphabet[byte % podAlphabet.length]).join('');
		return `${workload}-${templateHash}-${suffix}`;
	}

	private bytes(): Buffer {
		const value = createHash('sha256').update(`${this.counter.seed}:${this.counter.sequence}`).digest();
		this.counter.sequence += 1;
		return value;
	}
}
