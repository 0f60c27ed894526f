/**
 * A full re-read planned from the last complete read's page boundaries (src/autotask/id-profile.ts,
 * docs/autotask-api.md#re-read-profile): no count, chains that end on boundaries, and every record exactly once
 * however much the data changed since the profile was made.
 */
import fc from 'fast-check';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { profileOf, rangesFromProfile } from '../../../src/autotask/id-profile.js';
import type { IdProfile } from '../../../src/autotask/types.js';
import { client, fakeQueryEndpoint, ticket } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** Reads every page (collecting the profile it reports) and returns the ids read, sorted. */
async function readAll(ids: readonly number[], options: { profile?: IdProfile; partitions?: number } = {}) {
  const endpoint = fakeQueryEndpoint('Tickets', ids.map((id) => ticket(id)), { latencyMs: 1 });
  const profiles: IdProfile[] = [];
  const read: number[] = [];
  for await (const page of client().queryPartitioned('Tickets', [], { ...options, onProfile: async (p) => { profiles.push(p); } })) {
    read.push(...page.map((r) => r.id));
  }
  nock.cleanAll();
  return { read: read.sort((a, b) => a - b), profiles, ...endpoint };
}

describe('profileOf and rangesFromProfile', () => {
  it('keeps the last id of every full page, in any order of arrival', () => {
    expect(profileOf([1200, 5, 700, 3, 1000, 9, 2], 2)).toEqual({ pageSize: 2, boundaries: [3, 9, 1000], total: 7 });
    expect(profileOf([], 500)).toEqual({ pageSize: 500, boundaries: [], total: 0 });
  });

  it('splits the pages and the top chain\'s closing request evenly, in whole pages', () => {
    const profile = profileOf(range(1, 100_000), 500);
    // 200 pages + the open top's short page = 201 requests: 67 each.
    expect(rangesFromProfile(profile, 3, 500)).toEqual([
      { afterId: -1, upTo: 33_500 }, { afterId: 33_500, upTo: 67_000 }, { afterId: 67_000, upTo: null }]);
    // 3 pages + 1 = 4 requests: 1 + 2 + 1.
    expect(rangesFromProfile(profileOf(range(1, 1500), 500), 3, 500)).toEqual([
      { afterId: -1, upTo: 500 }, { afterId: 500, upTo: 1500 }, { afterId: 1500, upTo: null }]);
  });

  it('plans nothing from a profile of another page size, too few pages, or boundaries out of order', () => {
    const profile = profileOf(range(1, 5000), 500);
    expect(rangesFromProfile(profile, 3, 250)).toBeNull();
    expect(rangesFromProfile(profileOf(range(1, 1499), 500), 3, 500)).toBeNull();
    expect(rangesFromProfile({ ...profile, boundaries: [500, 400, 1500] }, 3, 500)).toBeNull();
    expect(rangesFromProfile({ ...profile, boundaries: [500, 1000.5, 1500] }, 3, 500)).toBeNull();
  });
});

describe('a read planned from a profile', () => {
  it('sends no count, starts every chain at once and ends on the boundaries: floor(N/500) + 1 requests', async () => {
    const ids = range(1, 6000, 2).concat(range(6001, 9000));
    const first = await readAll(ids);
    expect(first.read).toEqual(ids);
    expect(first.counts).toHaveLength(1);
    expect(first.profiles).toEqual([profileOf(ids, 500)]);

    const again = await readAll(ids, { profile: first.profiles[0]! });
    expect(again.read).toEqual(ids);
    expect(again.counts).toHaveLength(0);
    expect(again.bodies).toHaveLength(Math.floor(ids.length / 500) + 1);
    // The first three requests sent are the three chains' first, one per planned range (after the base filter).
    const ranges = rangesFromProfile(first.profiles[0]!, 3, 500)!;
    expect(again.bodies.slice(0, 3).map((b) => b.filter.slice(1))).toEqual(ranges.map((r) => [
      { op: 'gt', field: 'id', value: r.afterId }, ...(r.upTo === null ? [] : [{ op: 'lte', field: 'id', value: r.upTo }])]));
    // And it leaves its own profile for the next read.
    expect(again.profiles).toEqual([profileOf(ids, 500)]);
  });

  it('reports no profile when the consumer leaves early', async () => {
    const endpoint = fakeQueryEndpoint('Tickets', range(1, 3000).map((id) => ticket(id)), { latencyMs: 1 });
    const profiles: IdProfile[] = [];
    for await (const page of client().queryPartitioned('Tickets', [], { onProfile: async (p) => { profiles.push(p); } })) {
      expect(page.length).toBeGreaterThan(0);
      break;
    }
    expect(endpoint.bodies.length).toBeGreaterThan(0);
    expect(profiles).toEqual([]);
  });

  it('reads every record exactly once whatever changed since the profile, within ceil(N/500) + 2 requests per chain', async () => {
    // The profile comes from one id set, the read meets another: tickets that left, tickets that entered anywhere
    // (old ids whose activity moved into the look-back), new ids above everything.
    const idSet = fc.uniqueArray(fc.integer({ min: 1, max: 40_000 }), { minLength: 0, maxLength: 4_000 });
    await fc.assert(fc.asyncProperty(idSet, idSet, fc.integer({ min: 2, max: 3 }), async (before, now, partitions) => {
      const profile = profileOf(before, 500);
      const ids = [...now].sort((a, b) => a - b);
      const result = await readAll(ids, { profile, partitions });
      expect(result.read).toEqual(ids);
      const planned = rangesFromProfile(profile, partitions, 500) !== null;
      expect(result.counts).toHaveLength(planned ? 0 : 1);
      expect(result.bodies.length + result.counts.length).toBeLessThanOrEqual(Math.ceil(ids.length / 500) + 2 * partitions);
      expect(result.profiles).toEqual([profileOf(ids, 500)]);
    }), { numRuns: 40 });
  });
});
