import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BudgetExhaustedError } from '../../../src/autotask/errors.js';
import { THRESHOLD_ENDPOINT } from '../../../src/autotask/governor.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { GovernorRig, TENANT } from './support.js';

let rig: GovernorRig;
beforeEach(() => { rig = new GovernorRig(); });
afterEach(async () => { await rig.cleanup(); });

const threshold = (count: number, limit = 100) =>
  ({ externalRequestThreshold: limit, requestThresholdTimeframe: 60, currentTimeframeRequestCount: count });

async function tryAcquire(governor: ReturnType<GovernorRig['governor']>, endpoint = 'Tickets'): Promise<'ok' | BudgetExhaustedError> {
  try {
    const lease = await governor.acquire(endpoint);
    await lease.release();
    return 'ok';
  } catch (error) {
    if (error instanceof BudgetExhaustedError) return error;
    throw error;
  }
}

describe('the hourly budget shared by every process', () => {
  it('lets exactly the ceiling through across two instances, then refuses with a future retryAt', async () => {
    const a = rig.governor({ budgetFraction: 0.5 });
    const b = rig.governor({ budgetFraction: 0.5 });
    // Ceiling floor(0.5 × 100) = 50; other integrations already used 20 → 30 requests left for us.
    await a.observeThreshold(threshold(20));
    const outcomes = await Promise.all(Array.from({ length: 45 }, (_, i) => tryAcquire(i % 2 ? a : b)));
    const refused = outcomes.filter((o): o is BudgetExhaustedError => o !== 'ok');
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(30);
    expect(refused).toHaveLength(15);
    const started = Date.now();
    for (const error of refused) {
      expect(error.code).toBe('AUTOTASK_BUDGET_EXHAUSTED');
      expect(error.retryable).toBe(true);
      expect(error.details).toMatchObject({ used: 50, ceiling: 50 });
      expect(error.retryAt.getTime()).toBeGreaterThan(started);
      // The next threshold read (default every 5 minutes) is the soonest the estimate can change.
      expect(error.retryAt.getTime()).toBeLessThanOrEqual(started + 300_000 + 1_000);
    }
    expect(await b.snapshot()).toEqual({ used: 50, ceiling: 50, threshold: 100, left: 0, slotsInUse: { Tickets: 0 } });
  });

  it('splits a read into our own requests and the others\', so our requests are not counted twice', async () => {
    const a = rig.governor();
    const b = rig.governor();
    for (let i = 0; i < 5; i++) expect(await tryAcquire(i % 2 ? a : b)).toBe('ok');
    // Autotask's count includes our 5: the others made 20.
    await b.observeThreshold(threshold(25));
    expect(await a.snapshot()).toMatchObject({ used: 25, ceiling: 50, left: 25 });
    expect(await tryAcquire(a)).toBe('ok');
    expect(await a.snapshot()).toMatchObject({ used: 26, left: 24 });
  });

  it('assumes a threshold of 10,000 until the first read', async () => {
    const a = rig.governor({ budgetFraction: 0.5 });
    expect(await tryAcquire(a)).toBe('ok');
    expect(await a.snapshot()).toEqual({ used: 1, ceiling: 5_000, threshold: null, left: 4_999, slotsInUse: { Tickets: 0 } });
  });

  it('still lets the ThresholdInformation read through when the budget is used up, and counts it', async () => {
    const a = rig.governor();
    await a.observeThreshold(threshold(60));
    expect(await tryAcquire(a)).toBeInstanceOf(BudgetExhaustedError);
    expect(await tryAcquire(a, THRESHOLD_ENDPOINT)).toBe('ok');
    expect(await a.snapshot()).toMatchObject({ used: 61, ceiling: 50, left: 0 });
    // A fresh read showing the others' requests aged out frees the budget at once.
    await a.observeThreshold(threshold(10));
    expect(await tryAcquire(a)).toBe('ok');
  });

  it('shares staleness: a read by one process makes the threshold fresh for the others', async () => {
    let clock = Date.now();
    const a = rig.governor({ thresholdRefreshMs: 60_000 }, () => clock);
    const b = rig.governor({ thresholdRefreshMs: 60_000 }, () => clock);
    expect(a.thresholdStale()).toBe(true);
    // The caller that heard "stale" reads; the others of the same process do not read as well.
    expect(a.thresholdStale()).toBe(false);
    await b.observeThreshold(threshold(0));
    expect(b.thresholdStale()).toBe(false);
    await tryAcquire(a); // every acquire reply tells a when any process last read
    expect(a.thresholdStale()).toBe(false);
    clock += 61_000;
    expect(a.thresholdStale()).toBe(true);
    expect(b.thresholdStale()).toBe(true);
  });

  it('counts a rolling hour of per-minute buckets in Redis and says when the oldest frees', async () => {
    const a = rig.governor();
    const redis = rig.connection();
    // Stay clear of a minute boundary, so the buckets seeded below do not shift while the test runs.
    const serverMs = async (): Promise<number> => { const [s, us] = await redis.time(); return Number(s) * 1000 + Math.floor(Number(us) / 1000); };
    await vi.waitFor(async () => { expect((await serverMs()) % 60_000).toBeLessThanOrEqual(55_000); }, { timeout: 10_000, interval: 100 });
    const minute = Math.floor((await serverMs()) / 60_000);
    // 61 and more minutes old: out of the window. 60 minutes old: the oldest bucket still counted.
    await redis.hset(tenantKeys(rig.prefix, TENANT).budget, { [minute - 90]: 500, [minute - 61]: 1_000, [minute - 60]: 45 });
    await a.observeThreshold(threshold(45)); // all 45 are ours: the others made none
    expect(await a.snapshot()).toMatchObject({ used: 45, ceiling: 50 });
    for (let i = 0; i < 5; i++) expect(await tryAcquire(a)).toBe('ok');
    const refused = await tryAcquire(a);
    expect(refused).toBeInstanceOf(BudgetExhaustedError);
    // The 45 of minute-60 leave the window at the start of the next minute.
    const expected = (minute + 1) * 60_000;
    expect(Math.abs((refused as BudgetExhaustedError).retryAt.getTime() - expected)).toBeLessThan(1_000);
    // Buckets that left the window are dropped from Redis.
    expect(Object.keys(await redis.hgetall(tenantKeys(rig.prefix, TENANT).budget)).sort())
      .toEqual([String(minute - 60), String(minute)].sort());
  });
});
