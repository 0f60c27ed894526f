/**
 * A slot given back with a cooling (issue 16 item 9, docs/autotask-api.md#thread-headroom) stays counted in Redis for
 * every process until the cooling ends, then frees by itself: no timer and no live holder are needed for it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisCommandWatch } from '../../helpers/redis.js';
import { GovernorRig } from './support.js';

let rig: GovernorRig;
let watch: RedisCommandWatch;
beforeEach(async () => { rig = new GovernorRig(); watch = await new RedisCommandWatch(rig.prefix).start(); });
afterEach(async () => { watch.stop(); await rig.cleanup(); });

describe('slot cooling', () => {
  it('a cooling slot counts toward the limit for another process, even after its holder closed', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1 });
    const b = rig.governor({ threadsPerEndpoint: 1 });
    await (await a.acquire('Tickets')).release(600_000);
    await a.close();
    expect((await b.snapshot()).slotsInUse).toEqual({ Tickets: 1 });
    const controller = new AbortController();
    let got = false;
    const waiting = b.acquire('Tickets', controller.signal).then(() => { got = true; }, (error: unknown) => error);
    // b has asked twice since (the slot script ran twice more) and is still refused.
    const asked = watch.count('evalsha', 'eval');
    await vi.waitFor(() => { expect(watch.count('evalsha', 'eval') - asked).toBeGreaterThanOrEqual(2); }, { timeout: 20_000, interval: 5 });
    expect(got).toBe(false);
    controller.abort();
    expect(await waiting).toBeInstanceOf(Error);
  });

  it('a cooling slot frees by itself when the cooling ends, and the waiter gets it', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1 });
    const b = rig.governor({ threadsPerEndpoint: 1 });
    await (await a.acquire('Contracts')).release(150);
    const next = await b.acquire('Contracts');
    expect((await b.snapshot()).slotsInUse).toEqual({ Contracts: 1 });
    await next.release();
    expect((await b.snapshot()).slotsInUse).toEqual({ Contracts: 0 });
  });

  it('cooling a slot whose lease was already lost does not bring it back', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1 });
    const lease = await a.acquire('BillingItems');
    const redis = rig.connection();
    const [slots] = await redis.keys(`*${rig.prefix}*BillingItems*`);
    expect(slots, 'the slot key').toBeDefined();
    // As if the lease had run out and been swept by another acquire.
    await redis.del(slots!);
    await lease.release(600_000);
    expect(await redis.zcard(slots!)).toBe(0);
  });
});

describe('cooling learnt from thread-limit 429s', () => {
  const redisNow = async (redis: ReturnType<GovernorRig['connection']>): Promise<number> => {
    const [seconds, micros] = await redis.time();
    return Number(seconds) * 1000 + Number(micros) / 1000;
  };

  it('a thread-limit 429 doubles the tenant\'s cooling, once for a burst, for every process', async () => {
    // Configured cooling 2 s; the slot's expiry is read against Redis' clock before and after the release, so the
    // bounds hold however long the calls take.
    const a = rig.governor({ threadsPerEndpoint: 3, slotReleaseDelayMs: 2_000 });
    const b = rig.governor({ threadsPerEndpoint: 3, slotReleaseDelayMs: 2_000 });
    const redis = rig.connection();
    const cooled = async (governor: typeof a): Promise<{ fromBefore: number; fromAfter: number }> => {
      const lease = await governor.acquire('Tickets');
      const before = await redisNow(redis);
      await lease.release(2_000);
      const after = await redisNow(redis);
      const [slots] = await redis.keys(`*${rig.prefix}*slots*Tickets*`);
      const [, score] = await redis.zrange(slots!, 0, 0, 'WITHSCORES');
      await redis.del(slots!);
      return { fromBefore: Number(score) - before, fromAfter: Number(score) - after };
    };
    const plain = await cooled(a);
    expect(plain.fromBefore).toBeGreaterThanOrEqual(1_999);
    expect(plain.fromAfter).toBeLessThanOrEqual(2_000);
    // Three 429s of one moment (requests sent into the same late thread) count once: 2 s → 4 s, not 16 s.
    await Promise.all([a.noteThreadLimit('Tickets'), a.noteThreadLimit('Tickets'), b.noteThreadLimit('Tickets')]);
    const learnt = await cooled(b);
    expect(learnt.fromBefore).toBeGreaterThanOrEqual(3_999);
    expect(learnt.fromAfter).toBeLessThanOrEqual(4_000);
  });

  it('with no cooling configured, a thread-limit 429 starts one', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1, slotReleaseDelayMs: 0 });
    const redis = rig.connection();
    await a.noteThreadLimit('Contracts');
    const lease = await a.acquire('Contracts');
    const before = await redisNow(redis);
    await lease.release(0);
    // Still in the set (only an acquire sweeps it), with an expiry the learnt floor of 10 ms ahead of the release.
    const [slots] = await redis.keys(`*${rig.prefix}*slots*Contracts*`);
    const [, score] = await redis.zrange(slots!, 0, 0, 'WITHSCORES');
    expect(Number(score) - before).toBeGreaterThanOrEqual(9);
  });
});
