/**
 * A fixed-capacity buffer of the newest items: pushing past capacity drops the oldest and counts it.
 * Indexes are 0 = oldest item still held.
 */
export class RingBuffer<T> {
	private readonly items: Array<T | undefined>;
	private start = 0;
	private size = 0;
	private evictedCount = 0;
	private pushedCount = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) {
			throw new RangeError(`A ring buffer needs a capacity of at least 1, not ${capacity}`);
		}

		this.items = new Array<T | undefined>(capacity);
	}

	push(item: T): void {
		this.pushedCount++;
		if (this.size < this.capacity) {
			this.items[(this.start + this.size) % this.capacity] = item;
			this.size++;
			return;
		}

		this.items[this.start] = item;
		this.start = (this.start + 1) % this.capacity;
		this.evictedCount++;
	}

	pushAll(items: Iterable<T>): void {
		for (const item of items) {
			this.push(item);
		}
	}

	/** Puts older items in front (history paged in); ones that do not fit are not added. Returns how many were. */
	prepend(olderFirst: T[]): number {
		const room = this.capacity - this.size;
		const taken = olderFirst.slice(Math.max(0, olderFirst.length - room));
		for (let index = taken.length - 1; index >= 0; index--) {
			this.start = (this.start - 1 + this.capacity) % this.capacity;
			this.items[this.start] = taken[index];
			this.size++;
		}

		return taken.length;
	}

	get length(): number {
		return this.size;
	}

	/** Items dropped from the top because the buffer was full. */
	get evicted(): number {
		return this.evictedCount;
	}

	/** Items ever pushed (not counting prepended history). */
	get pushed(): number {
		return this.pushedCount;
	}

	at(index: number): T | undefined {
		if (index < 0 || index >= this.size) {
			return undefined;
		}

		return this.items[(this.start + index) % this.capacity];
	}

	/** Items from `from` (inclusive) to `to` (exclusive), oldest first. */
	slice(from = 0, to = this.size): T[] {
		const result: T[] = [];
		for (let index = Math.max(0, from); index < Math.min(to, this.size); index++) {
			result.push(this.items[(this.start + index) % this.capacity] as T);
		}

		return result;
	}

	clear(): void {
		this.items.fill(undefined);
		this.start = 0;
		this.size = 0;
	}
}
