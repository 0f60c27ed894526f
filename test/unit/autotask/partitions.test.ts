import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { f, planPartitions } from '../../../src/autotask/index.js';
import type { PartitionCursor } from '../../../src/autotask/types.js';
import { client, collect, fakeQueryEndpoint, settings, ticket } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

function sortedIds(pages: Array<Array<{ id: number }>>): number[] {
  return pages.flat().map((r) => r.id).sort((a, b) => a - b);
}

describe('planPartitions', () => {
  it('gives bounded partitions whole pages and leaves the last one open', () => {
    expect(planPartitions({ lastId: 500, rest: 4500, density: 1, pageSize: 500, partitions: 3 }).ranges)
      .toEqual([{ afterId: 500, upToId: 2000 }, { afterId: 2000, upToId: 3500 }, { afterId: 3500 }]);
    // Fewer pages than partitions: no more partitions than pages.
    expect(planPartitions({ lastId: 500, rest: 300, density: 1, pageSize: 500, partitions: 3 }).ranges).toEqual([{ afterId: 500 }]);
    expect(planPartitions({ lastId: 1000, rest: 900, density: 0.5, pageSize: 500, partitions: 3 }).ranges)
      .toEqual([{ afterId: 1000, upToId: 2000 }, { afterId: 2000 }]);
  });
});

describe('queryPartitioned', () => {
  it.each([
    ['contiguous ids, N a multiple of 500', range(1, 5000)],
    ['contiguous ids', range(1, 4321)],
    ['sparse ids', range(7, 7 + 3 * 2599, 3)],
    ['dense start, sparse tail (a bad estimate)', [...range(1, 1000), ...range(1010, 400_000, 997)]],
  ])('%s: every record once, within ceil(N/500) + 3 requests', async (_name, ids) => {
    const { bodies, counts } = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)));
    const pages = await collect(client().queryPartitioned('Tickets', f.eq('status', 1)));
    expect(sortedIds(pages)).toEqual(ids);
    const requests = bodies.length + counts.length;
    expect(requests).toBeLessThanOrEqual(Math.ceil(ids.length / 500) + 3);
    for (const body of bodies) expect(body.filter[0]).toEqual({ op: 'eq', field: 'status', value: 1 });
  });

  it('reads the partitions concurrently, never more at once than settings.threadsPerEndpoint', async () => {
    const ids = range(1, 6000);
    const { bodies, stats } = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 15 });
    const pages = await collect(client().queryPartitioned('Tickets', [], { partitions: 5 }));
    expect(sortedIds(pages)).toEqual(ids);
    expect(stats.maxInFlight).toBe(3);
    expect(bodies.length).toBeLessThanOrEqual(12 + 2);
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

  it('a resume with no open range reads nothing', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', [ticket(1)]);
    expect(await collect(client().queryPartitioned('Tickets', [], { resume: [] }))).toEqual([]);
    expect(bodies).toHaveLength(0);
  });
});
