import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { f, planPartitions } from '../../../src/autotask/index.js';
import { nextBlock } from '../../../src/autotask/partitions.js';
import type { FilterItem, PartitionCursor } from '../../../src/autotask/types.js';
import { client, collect, fakeQueryEndpoint, settings, ticket } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

function sortedIds(pages: Array<Array<{ id: number }>>): number[] {
  return pages.flat().map((r) => r.id).sort((a, b) => a - b);
}

/** Ids with realistic gaps: mostly consecutive, sometimes small gaps, rarely a jump of hundreds (seeded). */
function gappyIds(count: number, seed: number): number[] {
  let state = seed;
  const next = () => { state = (state * 1_103_515_245 + 12_345) % 2 ** 31; return state / 2 ** 31; };
  const ids: number[] = [];
  let id = 40_000;
  for (let i = 0; i < count; i += 1) {
    const r = next();
    id += 1 + (r < 0.75 ? 0 : r < 0.98 ? Math.floor(next() * 5) + 1 : Math.floor(next() * 380) + 20);
    ids.push(id);
  }
  return ids;
}

/** How many records a query body matches among `ids` (the fake endpoint's tickets all have status 1). */
function matched(ids: readonly number[], filter: FilterItem[]): number {
  const test = (id: number, item: FilterItem): boolean => {
    if ('items' in item) return item.op === 'and' ? item.items.every((i) => test(id, i)) : item.items.some((i) => test(id, i));
    if (item.field !== 'id') return true;
    const value = item.value as number;
    return item.op === 'gt' ? id > value : item.op === 'lte' ? id <= value : item.op === 'gte' ? id >= value : true;
  };
  return ids.filter((id) => filter.every((item) => test(id, item))).length;
}

describe('planPartitions and nextBlock', () => {
  it('gives each partition a first block of whole pages, shrinking, and leaves the rest above the frontier', () => {
    // 4,500 records left at one record per id: blocks of ceil(4500 / 12) ≈ 1 page each, whole pages of ids.
    expect(planPartitions({ lastId: 500, rest: 4500, density: 1, pageSize: 500, partitions: 3 }).ranges)
      .toEqual([{ afterId: 500, upToId: 1000 }, { afterId: 1000, upToId: 1500 }, { afterId: 1500, upToId: 2000 }]);
    const big = planPartitions({ lastId: 0, rest: 99_500, density: 0.5, pageSize: 500, partitions: 3 }).ranges;
    const pages = big.map((r) => ((r.upToId! - r.afterId) * 0.5) / 500);
    expect(pages).toEqual([17, 15, 14]);
    // Little left: one open-ended tail, no more partitions than that.
    expect(planPartitions({ lastId: 500, rest: 300, density: 1, pageSize: 500, partitions: 3 }).ranges).toEqual([{ afterId: 500 }]);
    expect(planPartitions({ lastId: 1000, rest: 700, density: 0.5, pageSize: 500, partitions: 3 }).ranges).toEqual([{ afterId: 1000 }]);
  });

  it('near the end sizes a block so the claiming chain finishes with the others, and hands out the tail last', () => {
    const base = { frontier: 10_000, density: 1, pageSize: 500, chains: 3 };
    // 10 pages unclaimed, the others hold 6 pages, this chain 1: an even finish is (10+6+1)/3 − 1 ≈ 4.7 pages,
    // but a share of what is unclaimed (10/12) is smaller: one page.
    expect(nextBlock({ ...base, unclaimed: 5000, ahead: 500, othersAhead: 3000 })).toEqual({ afterId: 10_000, upToId: 10_500 });
    // The others hold much more than this chain: still no larger than its share of what is unclaimed.
    expect(nextBlock({ ...base, unclaimed: 60_000, ahead: 0, othersAhead: 60_000 })).toEqual({ afterId: 10_000, upToId: 15_000 });
    // This chain already holds more than an even finish: the smallest block, one page.
    expect(nextBlock({ ...base, unclaimed: 60_000, ahead: 50_000, othersAhead: 0 })).toEqual({ afterId: 10_000, upToId: 10_500 });
    // At most a page and a half left: the open-ended tail.
    expect(nextBlock({ ...base, unclaimed: 700, ahead: 200, othersAhead: 800 })).toEqual({ afterId: 10_000 });
    expect(nextBlock({ ...base, unclaimed: 0, ahead: 0, othersAhead: 0 })).toEqual({ afterId: 10_000 });
    // Sparse ids: the block spans pages / density ids.
    expect(nextBlock({ ...base, density: 0.25, unclaimed: 24_000, ahead: 0, othersAhead: 24_000 })).toEqual({ afterId: 10_000, upToId: 18_000 });
  });
});

describe('queryPartitioned', () => {
  it.each([
    ['contiguous ids, N a multiple of 500', range(1, 5000)],
    ['contiguous ids', range(1, 4321)],
    ['sparse ids', range(7, 7 + 3 * 2599, 3)],
    ['dense start, sparse tail (a bad estimate)', [...range(1, 1000), ...range(1010, 400_000, 997)]],
    ['sparse start, dense tail (the other bad estimate)', [...range(1, 20_000, 40), ...range(20_001, 26_321)]],
    ['realistic gaps with rare large jumps', gappyIds(12_345, 7)],
    ['realistic gaps, another seed', gappyIds(9_999, 11)],
  ])('%s: every record once, within ceil(N/500) + 3 requests, and only each chain\'s last page short', async (_name, ids) => {
    const { bodies, counts } = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 2 });
    const pages = await collect(client().queryPartitioned('Tickets', f.eq('status', 1)));
    expect(sortedIds(pages)).toEqual(ids);
    const requests = bodies.length + counts.length;
    expect(requests).toBeLessThanOrEqual(Math.ceil(ids.length / 500) + 3);
    for (const body of bodies) expect(body.filter[0]).toEqual({ op: 'eq', field: 'status', value: 1 });
    // A block boundary is crossed inside one request (an `or` of two id ranges), so it never costs a short page.
    expect(bodies.filter((body) => matched(ids, body.filter) < 500).length).toBeLessThanOrEqual(3);
  });

  it.each([[2_500, 2], [2_500, 3], [6_789, 2], [6_789, 3]])('a consumer slower than the reads gets all %i records in %i partitions (read-ahead never ends the read early)', async (count, partitions) => {
    const ids = gappyIds(count, 5);
    fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 3 });
    const seen: number[] = [];
    for await (const page of client().queryPartitioned('Tickets', [], { partitions })) {
      seen.push(...page.map((r) => r.id));
      await new Promise((resolve) => setTimeout(resolve, 8));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(ids);
  });

  it('reads the partitions concurrently, never more at once than settings.threadsPerEndpoint', async () => {
    const ids = range(1, 6000);
    const { bodies, stats } = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 15 });
    const pages = await collect(client().queryPartitioned('Tickets', [], { partitions: 5 }));
    expect(sortedIds(pages)).toEqual(ids);
    expect(stats.maxInFlight).toBe(3);
    expect(bodies.length).toBeLessThanOrEqual(12 + 2);
  });

  it('sets every chain off while the consumer still handles the first page (no slot idles while it is stored)', async () => {
    const ids = range(1, 6000);
    const { bodies } = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 2 });
    const pages = client().queryPartitioned('Tickets', [])[Symbol.asyncIterator]();
    const first = await pages.next();
    expect(first.done).toBe(false);
    // The consumer has not asked for a second page (it is still storing the first): the three chains' first
    // requests are out all the same, each starting above the first page.
    await vi.waitFor(() => expect(bodies.length).toBeGreaterThanOrEqual(1 + 3));
    expect(bodies.slice(1, 4).every((body) => JSON.stringify(body.filter).includes('"gt"'))).toBe(true);
    const rest: Array<Array<{ id: number }>> = [];
    for (let next = await pages.next(); !next.done; next = await pages.next()) rest.push(next.value);
    expect(sortedIds([first.value as Array<{ id: number }>, ...rest])).toEqual(ids);
  });

  it('a consumer that leaves after the first page stops the chains it set off', async () => {
    const ids = range(1, 6000);
    const { bodies, stats } = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 2 });
    for await (const page of client().queryPartitioned('Tickets', [])) {
      expect(page).toHaveLength(500);
      break;
    }
    // The chains were set off (and read ahead while the first page was validated); once the consumer has left,
    // every request still out is answered and none follows: a chain still running would send its next on its answer.
    const sent = bodies.length;
    expect(sent).toBeGreaterThan(1);
    await vi.waitFor(() => expect(stats.inFlight).toBe(0));
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(bodies.length).toBe(sent);
  });

  it('a small read is one page (plus the count sent alongside it)', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', range(1, 42).map((id) => ticket(id)));
    const pages = await collect(client().queryPartitioned('Tickets', []));
    expect(pages.flat()).toHaveLength(42);
    expect(bodies).toHaveLength(1);
  });

  it('with one partition it pages sequentially without a count', async () => {
    const { bodies, counts } = fakeQueryEndpoint('Tickets', range(1, 1234).map((id) => ticket(id)));
    const pages = await collect(client({ settings: settings({ threadsPerEndpoint: 1 }) }).queryPartitioned('Tickets', []));
    expect(pages.flat()).toHaveLength(1234);
    expect(bodies).toHaveLength(3);
    expect(counts).toHaveLength(0);
  });

  it('reports open ranges after each consumed page and resumes from them without re-reading', async () => {
    const ids = range(1, 3000);
    const { bodies } = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)));
    const checkpoints: PartitionCursor[][] = [];
    const consumed: number[] = [];
    let taken = 0;
    for await (const page of client().queryPartitioned('Tickets', [], { onCheckpoint: async (open) => { checkpoints.push(open); } })) {
      consumed.push(...page.map((r) => r.id));
      taken += 1;
      if (taken === 3) break;
    }
    // The checkpoint after page 2 describes what was consumed before page 3 was taken.
    const open = checkpoints[checkpoints.length - 1]!;
    expect(open.length).toBeGreaterThan(0);
    const firstRead = bodies.length;
    const rest = await collect(client().queryPartitioned('Tickets', [], { resume: open }));
    const restIds = rest.flat().map((r) => r.id);
    const consumedBeforeCheckpoint = new Set(consumed);
    // Everything is read exactly once across both runs, except the page consumed after the last checkpoint.
    expect([...new Set([...consumed, ...restIds])].sort((a, b) => a - b)).toEqual(ids);
    const overlap = restIds.filter((id) => consumedBeforeCheckpoint.has(id));
    expect(overlap.length).toBeLessThanOrEqual(500);
    expect(bodies.length - firstRead).toBeLessThanOrEqual(Math.ceil(restIds.length / 500) + open.length);
  });

  it.each([1, 4, 9, 14])('stopped after %i pages of a gappy read, resumes from the checkpoint to every record exactly once', async (stopAt) => {
    const ids = gappyIds(8_123, 3);
    fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 1 });
    const checkpoints: PartitionCursor[][] = [];
    const consumed: number[][] = [];
    for await (const page of client().queryPartitioned('Tickets', [], { onCheckpoint: async (open) => { checkpoints.push(open); } })) {
      consumed.push(page.map((r) => r.id));
      if (consumed.length === stopAt) break;
    }
    // The last checkpoint was written before the last page taken was consumed: that page is read again.
    const stored = consumed.slice(0, -1).flat();
    const rest = (await collect(client().queryPartitioned('Tickets', [], { resume: checkpoints.at(-1)! }))).flat().map((r) => r.id);
    expect([...stored, ...rest].sort((a, b) => a - b)).toEqual(ids);
  });

  it('a resume with no open range reads nothing', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', [ticket(1)]);
    expect(await collect(client().queryPartitioned('Tickets', [], { resume: [] }))).toEqual([]);
    expect(bodies).toHaveLength(0);
  });
});
