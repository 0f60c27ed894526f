import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { workedSeconds } from '../../../src/rules/stopwatch.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { createStopwatchStore } from '../../../src/store/stopwatch-store.js';
import type { StartResult, StopwatchStore, StopwatchStoreResult, StoredStopwatch } from '../../../src/store/stopwatch-store.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

// Separate connections stand in for separate worker processes.
const connections: Redis[] = [connectRedis(), connectRedis(), connectRedis()];
let prefix: string;
const t0 = new Date('2026-03-02T09:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

function storeOn(index: number): StopwatchStore {
  const redis = connections[index % connections.length];
  if (!redis) throw new Error('no connection');
  return createStopwatchStore({ redis, keyPrefix: prefix, tenantId: 'default', clock: () => t0 });
}

function ok(result: StopwatchStoreResult | StartResult): StoredStopwatch {
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.reason}`);
  return result.stopwatch;
}

beforeEach(() => { prefix = uniquePrefix('stopwatch'); });
afterEach(async () => { await cleanPrefix(connections[0] as Redis, prefix); });
afterAll(async () => { await Promise.all(connections.map((c) => c.quit())); });

describe('stopwatch store', () => {
  it('of concurrent starts for the same resource and ticket exactly one wins; the others get its id', async () => {
    for (let round = 0; round < 10; round += 1) {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => storeOn(i).start({ ticketId: 500 + round, resourceId: 9 })));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winnerId = winners[0]?.ok ? winners[0].stopwatch.id : '';
      for (const loser of results.filter((r) => !r.ok)) expect(loser).toMatchObject({ code: 'CONFLICT', conflict: winnerId });
    }
    // another resource on the same ticket, or the same resource on another ticket, is independent
    expect((await storeOn(0).start({ ticketId: 500, resourceId: 10 })).ok).toBe(true);
    expect((await storeOn(0).start({ ticketId: 499, resourceId: 9 })).ok).toBe(true);
  });

  it('a paused stopwatch still blocks a second start; a stopped one does not', async () => {
    const store = storeOn(0);
    const first = ok(await store.start({ ticketId: 1, resourceId: 2 }));
    ok(await store.pause(first.id, at(60)));
    expect(await store.start({ ticketId: 1, resourceId: 2 })).toMatchObject({ ok: false, code: 'CONFLICT', conflict: first.id });
    ok(await store.stop(first.id, {}, at(120)));
    expect((await store.start({ ticketId: 1, resourceId: 2 })).ok).toBe(true);
  });

  it('pause, resume and stop survive a restart (new store instances, new connections)', async () => {
    const started = ok(await storeOn(0).start({ ticketId: 42, resourceId: 7, roleId: 3, summaryNotes: 'Printer' }, at(0)));
    expect(started.id).toMatch(/^[0-9a-f-]{36}$/);
    ok(await storeOn(1).pause(started.id, at(600)));

    const afterRestart = await storeOn(2).get(started.id);
    expect(afterRestart).toMatchObject({ state: 'paused', ticketId: 42, resourceId: 7, roleId: 3, summaryNotes: 'Printer' });
    expect(workedSeconds(afterRestart as StoredStopwatch, at(5000))).toBe(600);

    ok(await storeOn(2).resume(started.id, at(900)));
    const stopped = ok(await storeOn(1).stop(started.id, { internalNotes: 'replaced fuser' }, at(1500)));
    expect(stopped).toMatchObject({ state: 'stopped', stoppedAt: at(1500).toISOString(), internalNotes: 'replaced fuser',
      timeEntryId: null, pushError: null });
    const reread = await storeOn(0).get(started.id);
    expect(reread).toEqual(stopped);
    expect(workedSeconds(reread as StoredStopwatch, at(99_999))).toBe(1200);
    expect(await storeOn(0).unpushed()).toEqual([started.id]);
  });

  it('concurrent transitions on one stopwatch apply once: one pause wins, the rest are told it is paused', async () => {
    const sw = ok(await storeOn(0).start({ ticketId: 3, resourceId: 3 }));
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => storeOn(i).pause(sw.id, at(30 + i))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'ALREADY_PAUSED')).toBe(true);
    const stored = await storeOn(0).get(sw.id);
    expect(stored?.intervals).toHaveLength(1);
  });

  it('refuses transitions with typed codes and answers NOT_FOUND for unknown or malformed ids', async () => {
    const store = storeOn(0);
    const sw = ok(await store.start({ ticketId: 4, resourceId: 4 }));
    expect(await store.resume(sw.id)).toMatchObject({ ok: false, code: 'ALREADY_RUNNING' });
    ok(await store.stop(sw.id, {}, at(10)));
    expect(await store.pause(sw.id)).toMatchObject({ ok: false, code: 'ALREADY_STOPPED' });
    expect(await store.pause('7b1e4c52-0000-4000-8000-000000000000')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await store.stop('../etc')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await store.get('not a uuid')).toBeNull();
    expect(await store.start({ ticketId: -1, resourceId: 4 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('records the pushed time entry once, keeps push errors until then, and leaves the unpushed list', async () => {
    const store = storeOn(0);
    const sw = ok(await store.start({ ticketId: 5, resourceId: 5 }));
    expect(await store.markPushed(sw.id, 900)).toMatchObject({ ok: false, code: 'NOT_STOPPED' });
    ok(await store.stop(sw.id, {}, at(60)));
    expect(ok(await store.markPushError(sw.id, 'ROLE_MISSING: no role')).pushError).toBe('ROLE_MISSING: no role');
    expect(await store.unpushed()).toEqual([sw.id]);
    const pushed = ok(await store.markPushed(sw.id, 900, at(70)));
    expect(pushed).toMatchObject({ timeEntryId: 900, pushError: null, pushedAt: at(70).toISOString() });
    expect(ok(await storeOn(1).markPushed(sw.id, 900)).timeEntryId).toBe(900);
    expect(await store.markPushed(sw.id, 901)).toMatchObject({ ok: false, code: 'ALREADY_PUSHED' });
    expect(ok(await store.markPushError(sw.id, 'late error')).pushError).toBeNull();
    expect(await store.unpushed()).toEqual([]);
  });

  it('lists newest first with paging', async () => {
    const store = storeOn(0);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push(ok(await store.start({ ticketId: 10 + i, resourceId: 1 }, at(i))).id);
    expect((await store.list()).map((s) => s.id)).toEqual([...ids].reverse());
    expect((await store.list({ limit: 1, offset: 1 })).map((s) => s.id)).toEqual([ids[1]]);
  });

  it('replaces a running-index entry whose stopwatch was removed by hand', async () => {
    const store = storeOn(0);
    const sw = ok(await store.start({ ticketId: 6, resourceId: 6 }));
    await connections[0]?.del(tenantKeys(prefix, 'default').stopwatch(sw.id));
    const again = ok(await store.start({ ticketId: 6, resourceId: 6 }));
    expect(again.id).not.toBe(sw.id);
  });
});
