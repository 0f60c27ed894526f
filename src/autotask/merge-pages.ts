/**
 * The page merger of partitioned reads (partitions.ts): pages of several concurrent `id gt` chains, yielded in
 * arrival order, with each chain reading ahead so its slot stays busy while the consumer stores a page
 * (docs/autotask-api.md#thread-limit: 3 concurrent requests per endpoint — an idle slot is lost throughput).
 */
/** Pages a source may have received but not yet handed to the consumer, besides the one it is reading. */
const READ_AHEAD = 2;

/**
 * Yields pages of all sources in arrival order. A source asks for its next page the moment a page arrives (up
 * to READ_AHEAD waiting), not when the consumer gets to it: while the consumer stores one page, the other
 * sources' slots stay busy. `consumed(index, page)` runs when the consumer asks for the next page — the page
 * is then stored — and is followed by `checkpoint` (the ranges still open); `page` null = the source ended
 * and all its pages were consumed. On failure or early exit the other sources are aborted.
 */
export async function* mergePages<T>(sources: AsyncGenerator<T[]>[], controller: AbortController, consumed: (index: number, page: T[] | null) => void,
  checkpoint: () => Promise<void>): AsyncGenerator<T[]> {
  type Arrival = { index: number; ok: true; result: IteratorResult<T[]> } | { index: number; ok: false; error: unknown };
  const arrived: Arrival[] = [];
  const reading = new Set<number>();
  const waiting = sources.map(() => 0);
  // A source that answered done (or failed) is never asked again: a second `done` would end the merge early.
  const over = sources.map(() => false);
  let ended = 0;
  let wake: (() => void) | null = null;
  const read = (index: number) => {
    if (over[index] || reading.has(index)) return;
    reading.add(index);
    sources[index]!.next().then((result): Arrival => ({ index, ok: true, result }), (error: unknown): Arrival => ({ index, ok: false, error }))
      .then((arrival) => {
        reading.delete(index);
        arrived.push(arrival);
        if (arrival.ok && !arrival.result.done) {
          waiting[index]! += 1;
          if (waiting[index]! < READ_AHEAD) read(index);
        } else {
          over[index] = true;
        }
        wake?.();
      });
  };
  sources.forEach((_, index) => read(index));
  try {
    while (ended < sources.length) {
      if (arrived.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
      const arrival = arrived.shift();
      if (!arrival) continue;
      if (!arrival.ok) throw arrival.error;
      const { index, result } = arrival;
      if (result.done) {
        ended += 1;
        consumed(index, null);
        continue;
      }
      waiting[index]! -= 1;
      if (waiting[index]! < READ_AHEAD) read(index);
      yield result.value;
      consumed(index, result.value);
      await checkpoint();
    }
  } finally {
    if (ended < sources.length) {
      controller.abort(new DOMException('partitioned read stopped', 'AbortError'));
      await Promise.allSettled(sources.map((source) => source.return(undefined)));
    }
  }
}

