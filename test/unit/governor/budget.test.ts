import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_RETRY_MS, WINDOW_MS, bucketLeavesAt, budgetCeiling, estimateRetryAt, estimateUsed, externalUsage, minuteOf,
  oldestLiveMinute, ownUsage, slotWaitDelay,
} from '../../../src/autotask/governor-budget.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 14, 0, 0); // a minute boundary
const M0 = T0 / MINUTE;

describe('bucket arithmetic', () => {
  it('keeps the current minute and the 60 before it', () => {
    expect(minuteOf(T0 + 59_999)).toBe(M0);
    expect(oldestLiveMinute(T0 + 30_000)).toBe(M0 - 60);
    expect(ownUsage([[M0 - 61, 7], [M0 - 60, 2], [M0 - 1, 3], [M0, 4]], T0 + 30_000)).toBe(9);
  });

  it('counts a request for at least a full hour and at most 61 minutes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 59_999 }), (offset) => {
      const madeAt = T0 + offset;
      const leaves = bucketLeavesAt(minuteOf(madeAt));
      expect(leaves - madeAt).toBeGreaterThan(WINDOW_MS);
      expect(leaves - madeAt).toBeLessThanOrEqual(WINDOW_MS + MINUTE);
      expect(ownUsage([[minuteOf(madeAt), 1]], leaves - 1)).toBe(1);
      expect(ownUsage([[minuteOf(madeAt), 1]], leaves)).toBe(0);
    }));
  });
});

describe('budgetCeiling', () => {
  it('takes the fraction of the threshold, 10,000 until the first read', () => {
    expect(budgetCeiling(0.5, null)).toBe(5_000);
    expect(budgetCeiling(0.5, 100)).toBe(50);
    expect(budgetCeiling(0.29, 100)).toBe(29); // 0.29 * 100 = 28.999… in binary floating point
    expect(budgetCeiling(0.5, 7)).toBe(3);
    expect(budgetCeiling(1, 10_000)).toBe(10_000);
  });
});

describe('the others\' share', () => {
  it('counts while the read is younger than an hour', () => {
    const observation = { external: 40, observedAt: T0 };
    expect(externalUsage(observation, T0 + WINDOW_MS - 1)).toBe(40);
    expect(externalUsage(observation, T0 + WINDOW_MS)).toBe(0);
    expect(externalUsage(null, T0)).toBe(0);
    expect(estimateUsed([[M0, 5]], observation, T0 + 1)).toBe(45);
  });
});

describe('estimateRetryAt', () => {
  const refreshMs = 300_000;

  it('waits for just enough of our own buckets to leave the window', () => {
    // ceiling 10: 4 (minute -50) + 3 (minute -20) + 3 (now) = 10 used; one more fits once minute -50 leaves.
    const now = T0 + 10_000;
    const retryAt = estimateRetryAt({ buckets: [[M0 - 20, 3], [M0 - 50, 4], [M0, 3]], observation: null, nowMs: now, ceiling: 10, refreshMs });
    expect(retryAt).toBe(bucketLeavesAt(M0 - 50));
    expect(retryAt).toBe(T0 + 11 * MINUTE);
  });

  it('walks several buckets when the first does not free enough', () => {
    const now = T0 + 10_000;
    const retryAt = estimateRetryAt({ buckets: [[M0 - 50, 1], [M0 - 40, 1], [M0 - 30, 5]], observation: null, nowMs: now, ceiling: 6, refreshMs });
    expect(retryAt).toBe(bucketLeavesAt(M0 - 40));
  });

  it('comes back at the next threshold read when that is sooner', () => {
    const now = T0 + 10_000;
    const observation = { external: 8, observedAt: T0 - 60_000 };
    const retryAt = estimateRetryAt({ buckets: [[M0 - 50, 2]], observation, nowMs: now, ceiling: 10, refreshMs });
    expect(retryAt).toBe(observation.observedAt + refreshMs);
  });

  it('when others alone fill the ceiling, waits for the read to age out or be refreshed', () => {
    const now = T0 + 10_000;
    const observation = { external: 20, observedAt: T0 - 10 * MINUTE };
    const stale = estimateRetryAt({ buckets: [[M0 - 1, 1]], observation, nowMs: now, ceiling: 10, refreshMs });
    // The refresh time has passed; the others' share leaves with its read, 50 minutes from now.
    expect(stale).toBe(observation.observedAt + WINDOW_MS);
    const fresh = estimateRetryAt({ buckets: [[M0 - 1, 1]], observation, nowMs: now, ceiling: 10, refreshMs: 20 * MINUTE });
    expect(fresh).toBe(observation.observedAt + 20 * MINUTE);
  });

  it('is always in the future, within an hour and a minute, and no earlier than the estimate allows', () => {
    const bucket = fc.tuple(fc.integer({ min: -60, max: 0 }), fc.integer({ min: 0, max: 50 }));
    fc.assert(fc.property(
      fc.array(bucket, { maxLength: 20 }), fc.integer({ min: 0, max: 59_999 }), fc.integer({ min: 1, max: 300 }),
      fc.option(fc.record({ external: fc.integer({ min: 0, max: 300 }), ago: fc.integer({ min: 0, max: 2 * WINDOW_MS }) })),
      (raw, offset, ceiling, obs) => {
        const now = T0 + offset;
        const buckets = raw.map(([m, c]) => [M0 + m, c] as const);
        const observation = obs ? { external: obs.external, observedAt: now - obs.ago } : null;
        const retryAt = estimateRetryAt({ buckets, observation, nowMs: now, ceiling, refreshMs });
        expect(retryAt).toBeGreaterThanOrEqual(now + MIN_RETRY_MS);
        expect(retryAt).toBeLessThanOrEqual(now + WINDOW_MS + MINUTE);
        const refreshAt = observation ? observation.observedAt + refreshMs : -Infinity;
        // Unless a threshold read is due first, the estimate at retryAt leaves room for one more request.
        if (refreshAt <= now || retryAt < refreshAt) {
          expect(estimateUsed(buckets, observation, retryAt)).toBeLessThan(ceiling);
        }
      },
    ));
  });
});

describe('slotWaitDelay', () => {
  it('starts at a few ms, grows a little, stays bounded and jittered', () => {
    expect(slotWaitDelay(0, () => 0.5)).toBe(3);
    expect(slotWaitDelay(5, () => 0.5)).toBeGreaterThan(slotWaitDelay(0, () => 0.5));
    expect(slotWaitDelay(100, () => 0.999)).toBeLessThanOrEqual(75);
    expect(slotWaitDelay(0, () => 0)).toBeGreaterThanOrEqual(1);
    expect(slotWaitDelay(10, () => 0)).toBeLessThan(slotWaitDelay(10, () => 0.99));
  });

  it('asks again 1 ms after a cooling slot frees when that comes before the next poll (issue 16 item 9)', () => {
    // attempt 10 backs off about 28 ms: a slot cooling for 4 more ms is asked for at 5 ms instead.
    expect(slotWaitDelay(10, () => 0.5, 4)).toBe(5);
    expect(slotWaitDelay(10, () => 0.5, 0.2)).toBe(2);
    expect(slotWaitDelay(10, () => 0.5, -3)).toBe(1);
    // A slot freeing later than the next poll (a live lease, renewed) leaves the backoff as it was.
    expect(slotWaitDelay(0, () => 0.5, 90_000)).toBe(3);
    expect(slotWaitDelay(10, () => 0.5, Number.NaN)).toBe(slotWaitDelay(10, () => 0.5));
  });
});
