/**
 * Long synchronous work in slices that let the event loop turn between them (docs/many-tenants.md#event-loop).
 * A worker process runs several jobs at once on one thread: while one job validates, projects or serialises a
 * 500-record page (or a tenant's 20,000 billing items) in one go, every other job's Redis replies, HTTP answers
 * and lock renewals wait behind it. Between two slices, setImmediate runs after the I/O callbacks that are due.
 */

/** Records handled between two turns of the event loop: a fraction of a millisecond to a few milliseconds each. */
export const SLICE = 100;

/**
 * Waiters for a turn of the loop, in order. One is released per turn (per setImmediate), whoever queued it: six
 * page streams of one tenant's backlog in slices would otherwise each run a slice per turn, and every I/O step of
 * another job (a Redis reply, an HTTP answer) would wait behind all six. One slice per turn keeps that wait to one
 * slice, and costs the sliced work nothing when nothing else is waiting.
 */
const waiting: Array<() => void> = [];
let pumping = false;

function releaseOne(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(releaseOne);
  else pumping = false;
}

/** Resolves on a later turn of the event loop, after the I/O callbacks that were waiting; one waiter per turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(releaseOne);
    }
  });
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
