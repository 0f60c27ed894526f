/**
 * Taking a cooling slot back (docs/autotask-api.md#thread-headroom): the process that gave a slot back with a cooling
 * may take the same slot again while it cools, and then waits out the cooling itself, instead of polling Redis until
 * the slot frees. The cooling still holds (nothing is sent before it ends), the request is still counted, and a caller
 * that waits for a slot is never passed over. Real Redis, one governor per simulated process.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisCommandWatch } from '../../helpers/redis.js';
import { GovernorRig } from './support.js';

let rig: GovernorRig;
let watch: RedisCommandWatch;
beforeEach(async () => { rig = new GovernorRig(); watch = await new RedisCommandWatch(rig.prefix).start(); });
afterEach(async () => { watch.stop(); await rig.cleanup(); });

type Redis = ReturnType<GovernorRig['connection']>;

async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

async function slotMembers(redis: Redis, endpoint: string): Promise<Array<{ token: string; expiry: number }>> {
  const [key] = await redis.keys(`*${rig.prefix}*:slots:${endpoint}`);
  if (!key) return [];
  const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
  const members: Array<{ token: string; expiry: number }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) members.push({ token: flat[i]!, expiry: Number(flat[i + 1]) });
  return members;
}

/** MONITOR lags behind the commands: a marker seen means every command sent before it was seen too. */
async function caughtUp(redis: Redis): Promise<void> {
  const marker = `${rig.prefix}:marker:${Math.random()}`;
  await redis.exists(marker);
  await vi.waitFor(() => { expect(watch.seenKey(marker)).toBe(true); }, { timeout: 20_000, interval: 5 });
}

async function waiters(redis: Redis, endpoint: string): Promise<number> {
  const [key] = await redis.keys(`*${rig.prefix}*:slot-waiters:${endpoint}`);
  return key ? redis.zcard(key) : 0;
}

describe('taking a cooling slot back', () => {
  it('the next caller of the same process gets the same slot with one slot script, and only once the cooling has ended', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1, slotReleaseDelayMs: 400 });
    const redis = rig.connection();
    const first = await a.acquire('Tickets');
    const [held] = await slotMembers(redis, 'Tickets');
    const releasedBefore = await redisNow(redis);
    await first.release(400);
    await caughtUp(redis);
    watch.reset();
    const next = await a.acquire('Tickets');
    const gotAt = await redisNow(redis);
    await caughtUp(redis);
    // Polling would have run the slot script again and again through the 400 ms (its backoff is a few ms).
    expect(watch.count('evalsha', 'eval')).toBe(1);
    expect(gotAt - releasedBefore).toBeGreaterThanOrEqual(400);
    const members = await slotMembers(redis, 'Tickets');
    expect(members.map((m) => m.token)).toEqual([held!.token]);
    // Held again on a full lease, not on what was left of the cooling.
    expect(members[0]!.expiry - gotAt).toBeGreaterThan(1_000);
    // Counted against the hourly budget like any request.
    expect((await a.snapshot()).used).toBe(2);
    await next.release();
    expect((await a.snapshot()).slotsInUse).toEqual({ Tickets: 0 });
  });

  it('is not done while another slot is free: a lone caller does not wait out its own cooling', async () => {
    const a = rig.governor({ threadsPerEndpoint: 3 });
    const redis = rig.connection();
    const first = await a.acquire('Companies');
    await first.release(60_000);
    // Within the test's timeout only if it took a free slot instead of waiting out the minute.
    const next = await a.acquire('Companies');
    const members = await slotMembers(redis, 'Companies');
    expect(members).toHaveLength(2);
    await next.release();
  });

  it('is not done while a caller of another process waits for a slot of the endpoint', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1, slotReleaseDelayMs: 1_500 });
    const b = rig.governor({ threadsPerEndpoint: 1, slotReleaseDelayMs: 1_500 });
    const redis = rig.connection();
    const first = await a.acquire('Contracts');
    const bGot = b.acquire('Contracts');
    await vi.waitFor(async () => { expect(await waiters(redis, 'Contracts')).toBe(1); }, { timeout: 20_000, interval: 10 });
    // The list is bounded: its key expires soon after the latest wait.
    const [waitersKey] = await redis.keys(`*${rig.prefix}*:slot-waiters:Contracts`);
    expect(await redis.pttl(waitersKey!)).toBeGreaterThan(0);
    await first.release(1_500);
    const aGot = a.acquire('Contracts');
    // a was refused and waits beside b, instead of taking the slot back ahead of it.
    await vi.waitFor(async () => { expect(await waiters(redis, 'Contracts')).toBe(2); }, { timeout: 20_000, interval: 10 });
    // One slot: each gets it in turn once the other gives it back.
    await Promise.all([bGot.then((lease) => lease.release()), aGot.then((lease) => lease.release())]);
    expect(await waiters(redis, 'Contracts')).toBe(0);
  });

  it('a caller stopped while it waits out the cooling sends nothing, and the slot goes on cooling until its end', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1 });
    const redis = rig.connection();
    const first = await a.acquire('BillingItems');
    const before = await redisNow(redis);
    await first.release(60_000);
    const controller = new AbortController();
    const taking = a.acquire('BillingItems', controller.signal);
    // Taken back (held on a full lease) and now waiting out the cooling.
    await vi.waitFor(async () => { expect((await slotMembers(redis, 'BillingItems'))[0]!.expiry - before).toBeGreaterThan(80_000); },
      { timeout: 20_000, interval: 10 });
    controller.abort(new Error('stop'));
    await expect(taking).rejects.toThrow('stop');
    const [member] = await slotMembers(redis, 'BillingItems');
    // Back to cooling: it frees at the cooling's end (within the ms rounding of two clocks), not a 90 s lease later,
    // and is not given back early either.
    expect(member!.expiry - before).toBeLessThan(61_000);
    expect(member!.expiry - (await redisNow(redis))).toBeGreaterThan(50_000);
    expect((await a.snapshot()).slotsInUse).toEqual({ BillingItems: 1 });
  });
});
