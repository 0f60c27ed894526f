/**
 * Long synchronous work in slices that let the event loop turn between them (docs/many-tenants.md#event-loop).
 * A worker process runs several jobs at once on one thread: while one job validates, projects or serialises a
 * 500-record page (or a tenant's 20,000 billing items) in one go, every other job's Redis replies, HTTP answers
 * and lock renewals wait behind it. Between two slices, setImmediate runs after the I/O callbacks that are due.
 */

/** Records handled between two turns of the event loop: a fraction of a millisecond to a few milliseconds each. */
export const SLICE = 100;

/** Resolves on the next turn of the event loop, after the I/O callbacks that were waiting. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * `items.map(fn)`, in slices of `size`, letting the event loop turn between two slices (not before the first:
 * a list of one slice costs nothing extra). All or nothing, as map: an error thrown by `fn` rejects the whole.
 */
export async function mapInSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R, size = SLICE): Promise<R[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`slice size must be a positive integer, got ${size}`);
  const out = new Array<R>(items.length);
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await yieldToEventLoop();
    const end = Math.min(items.length, start + size);
    for (let i = start; i < end; i += 1) out[i] = fn(items[i]!, i);
  }
  return out;
}
