/** The suggestion store's bounds and decisions on the real Redis (src/store/problem-suggestions.ts). */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ProblemGroup } from '../../../src/rules/detection-types.js';
import { suggestionIdOf } from '../../../src/rules/group-key.js';
import { MAX_OPEN, ProblemSuggestionStore } from '../../../src/store/problem-suggestions.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = connectRedis();
const prefix = uniquePrefix('sugg');
afterEach(async () => { await cleanPrefix(redis, prefix); });
afterAll(async () => { await redis.quit(); });

function group(key: string, ticketIds: number[]): { id: string; group: ProblemGroup } {
  const g = { groupKey: key, ruleSet: 'r', key: {}, problemTicketId: null, previousProblemId: null, ticketIds, newLinks: ticketIds,
    existingLinks: [], title: key, companyID: 1, configurationItemID: null, firstCreateDate: null, lastCreateDate: null, active: true,
    reason: 'test', confidence: 0.4, confidenceReason: 'test' } satisfies ProblemGroup;
  return { id: suggestionIdOf(key, ticketIds), group: g };
}

describe('ProblemSuggestionStore', () => {
  it('keeps at most MAX_OPEN open suggestions, also when runs only add (webhook runs)', async () => {
    const store = new ProblemSuggestionStore(redis, prefix, 't1');
    const many = Array.from({ length: MAX_OPEN + 20 }, (_, i) => group(`g${i}`, [i * 10 + 1, i * 10 + 2]));
    await store.propose(many.slice(0, MAX_OPEN), false);
    await store.propose(many.slice(MAX_OPEN), false);
    expect((await store.list('open')).length).toBe(MAX_OPEN);
  });

  it('a rejected group is not proposed again until a new ticket joins it', async () => {
    const store = new ProblemSuggestionStore(redis, prefix, 't2');
    const first = group('g', [1, 2, 3]);
    await store.propose([first], true);
    await store.reject(first.id);
    expect(await store.reject(first.id)).toMatchObject({ status: 'rejected' });
    await store.propose([group('g', [1, 2])], true);
    expect(await store.list('open')).toEqual([]);
    const grown = group('g', [1, 2, 3, 4]);
    await store.propose([grown], true);
    expect((await store.list('open')).map((s) => s.id)).toEqual([grown.id]);
    await expect(store.approve(first.id)).rejects.toThrow(/rejected/);
  });
});
