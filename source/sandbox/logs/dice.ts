// Cheap integer hashing for log content: every pick is a pure function of its inputs, so a line
// rendered twice comes out the same, and a flood of 100,000 lines a second stays affordable.

/** A 32-bit hash of three integers (murmur3's finaliser applied to each step). */
export function mix(a: number, b: number, c = 0): number {
	let hash = finalise((a | 0) ^ 0x81_1c_9d_c5);
	hash = finalise(hash ^ Math.imul(b | 0, 0xcc_9e_2d_51) ^ Math.floor(b / 2 ** 32));
	hash = finalise(hash ^ Math.imul(c | 0, 0x1b_87_35_93));
	return hash >>> 0;
}

/** A number in [0, 1) from a 32-bit hash. */
export function unit(hash: number): number {
	return hash / 2 ** 32;
}

export function pick<T>(items: readonly T[], hash: number): T {
	return items[hash % items.length]!;
}

/** FNV-1a of a string, for seeding a container's dice from its name. */
export function hashText(text: string): number {
	let hash = 0x81_1c_9d_c5;
	for (let index = 0; index < text.length; index++) {
		hash = Math.imul(hash ^ text.charCodeAt(index), 0x01_00_01_93);
	}

	return hash >>> 0;
}

function finalise(value: number): number {
	let hash = value;
	hash ^= hash >>> 16;
	hash = Math.imul(hash, 0x85_eb_ca_6b);
	hash ^= hash >>> 13;
	hash = Math.imul(hash, 0xc2_b2_ae_35);
	hash ^= hash >>> 16;
	return hash;
}
