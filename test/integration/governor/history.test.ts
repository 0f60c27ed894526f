/**
 * The governor's hourly history (issue 18: the console's 24 h budget chart and throttled counts), in real Redis and
 * shared by every process: requests let through, budget refusals, slot waits and 429s counted per hour; hours older
 * than the history are dropped when a new hour starts counting, and the HASH carries an expiry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../../src/autotask/errors.js';
import { HISTORY_HOURS, hourOf } from '../../../src/autotask/governor-history.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { GovernorRig, TENANT } from './support.js';

let rig: GovernorRig;
beforeEach(() => { rig = new GovernorRig(); });
afterEach(async () => { await rig.cleanup(); });

describe('the governor\'s hourly history', () => {
  it('counts requests, budget refusals and 429s of every process into the current hour', async () => {
    const a = rig.governor({ budgetFraction: 0.5 });
    const b = rig.governor({ budgetFraction: 0.5 });
    // Ceiling floor(0.5 × 10) = 5: the sixth and seventh requests are refused.
    await a.observeThreshold({ externalRequestThreshold: 10, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 0 });
    let refused = 0;
    for (let i = 0; i < 7; i++) {
      try { await (await (i % 2 ? a : b).acquire('Tickets')).release(); } catch (error) {
        if (!(error instanceof BudgetExhaustedError)) throw error;
        refused += 1;
      }
    }
    expect(refused).toBe(2);
    await b.noteThrottled();
    await a.noteThrottled();
    const hours = await b.history();
    expect(hours).toHaveLength(HISTORY_HOURS);
    expect(hours.at(-1)).toMatchObject({ requests: 5, budgetHeld: 2, throttled429: 2, slotWaits: 0 });
    expect(hours.slice(0, -1).every((h) => h.requests === 0 && h.throttled429 === 0)).toBe(true);
    expect(await a.history()).toEqual(hours);
  });

  it('counts a request that found every slot busy once, however long it waits', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1 });
    const held = await a.acquire('Tickets');
    const waiting = a.acquire('Tickets');
    // The waiter polls many times while the slot is held; only its first try is a "slot wait".
    await expect.poll(async () => (await a.history()).at(-1)!.slotWaits).toBe(1);
    await held.release();
    await (await waiting).release();
    expect((await a.history()).at(-1)).toMatchObject({ requests: 2, slotWaits: 1 });
  });

  it('drops hours older than the history when a new hour starts counting, and expires the HASH', async () => {
    const a = rig.governor();
    const redis = rig.connection();
    const key = tenantKeys(rig.prefix, TENANT).budgetHours;
    const now = hourOf(Number((await redis.time())[0]) * 1000);
    const kept = now - (HISTORY_HOURS - 1);
    await redis.hset(key, `r:${now - HISTORY_HOURS}`, 7, `q:${now - 40}`, 3, `r:${kept}`, 4);
    await (await a.acquire('Tickets')).release();
    const fields = await redis.hgetall(key);
    expect(fields[`r:${now - HISTORY_HOURS}`]).toBeUndefined();
    expect(fields[`q:${now - 40}`]).toBeUndefined();
    // The oldest kept hour stays, unless the clock turned an hour during the test.
    if (hourOf(Number((await redis.time())[0]) * 1000) === now) expect(fields[`r:${kept}`]).toBe('4');
    expect(await redis.pttl(key)).toBeGreaterThan(24 * 3_600_000);
  });
});
