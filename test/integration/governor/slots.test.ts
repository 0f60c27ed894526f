import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisCommandWatch } from '../../helpers/redis.js';
import { ConcurrencyMeter, GovernorRig } from './support.js';

let rig: GovernorRig;
let watch: RedisCommandWatch;
beforeEach(async () => { rig = new GovernorRig(); watch = await new RedisCommandWatch(rig.prefix).start(); });
afterEach(async () => { watch.stop(); await rig.cleanup(); });

/**
 * A holder of a slot keeps it until 3 are held and the waiters have since been refused twice more (the slot
 * script ran twice: a fourth slot, if the governor gave one, would have been taken then), or until nobody is
 * left waiting. Events, not a fixed hold time: 3 are reached, and a 4th had its chances, on any machine.
 */
function holder(meter: ConcurrencyMeter, total: number): { hold: () => Promise<void>; finished: () => void } {
  let fullSince = -1;
  let finished = 0;
  const attempts = (): number => watch.count('evalsha', 'eval');
  return {
    hold: async () => {
      if (meter.current >= 3 && fullSince < 0) fullSince = attempts();
      await vi.waitFor(() => {
        if (finished + meter.current >= total) return;
        if (meter.current >= 3 && fullSince < 0) fullSince = attempts();
        expect(meter.current >= 3 && attempts() - fullSince >= 2, 'three held and the waiters refused twice').toBe(true);
      }, { timeout: 20_000, interval: 2 });
    },
    finished: () => {
      finished += 1;
      fullSince = -1;
    },
  };
}

describe('slots shared by every process', () => {
  it('two instances never hold more than 3 slots of one endpoint at once, and do reach 3', async () => {
    const governors = [rig.governor(), rig.governor()];
    const meter = new ConcurrencyMeter();
    const { hold, finished } = holder(meter, 12);
    let done = 0;
    await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const lease = await governors[i % 2]!.acquire('Tickets');
      try {
        meter.enter();
        await hold();
        meter.leave();
        finished();
        done += 1;
      } finally {
        await lease.release();
      }
    }));
    expect(done).toBe(12);
    expect(meter.max).toBe(3);
    expect((await governors[0]!.snapshot()).slotsInUse).toEqual({ Tickets: 0 });
  });

  it('a slow HTTP endpoint reached through fetch under the governor never sees a 4th concurrent request', async () => {
    const meter = new ConcurrencyMeter();
    const { hold, finished } = holder(meter, 12);
    const server: Server = createServer((_req, res) => {
      meter.enter();
      void hold().then(() => {
        meter.leave();
        finished();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/V1.0/Tickets/query`;
    try {
      const governors = [rig.governor(), rig.governor()];
      const statuses = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
        const lease = await governors[i % 2]!.acquire('Tickets');
        try {
          const response = await fetch(url, { method: 'POST', body: '{}' });
          await response.json();
          return response.status;
        } finally {
          await lease.release();
        }
      }));
      expect(statuses).toEqual(Array(12).fill(200));
      expect(meter.max).toBe(3);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('counts each endpoint (child routes too) on its own and honours threadsPerEndpoint', async () => {
    const a = rig.governor({ threadsPerEndpoint: 2 });
    const b = rig.governor({ threadsPerEndpoint: 2 });
    const held = [await a.acquire('Tickets'), await b.acquire('Tickets'), await a.acquire('Companies'),
      await b.acquire('Tickets/Notes')];
    expect((await b.snapshot()).slotsInUse).toEqual({ Companies: 1, Tickets: 2, 'Tickets/Notes': 1 });
    // Tickets is full: a third caller waits until it is aborted.
    await expect(b.acquire('Tickets', AbortSignal.timeout(100))).rejects.toMatchObject({ name: 'TimeoutError' });
    await held[0]!.release();
    const again = await b.acquire('Tickets');
    await Promise.all([...held, again].map((lease) => lease.release()));
    expect((await a.snapshot()).slotsInUse).toEqual({ Companies: 0, Tickets: 0, 'Tickets/Notes': 0 });
  });

  it('release is idempotent and close() gives back what a governor still holds, after the cooling', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1 });
    // A cooling far longer than the test, so "still counted after close" does not depend on the machine's speed.
    const b = rig.governor({ threadsPerEndpoint: 1, slotReleaseDelayMs: 5_000 });
    const lease = await a.acquire('Contracts');
    await lease.release();
    await lease.release();
    const other = await b.acquire('Contracts');
    await lease.release(); // a second release of a's old lease must not free b's slot
    expect((await a.snapshot()).slotsInUse).toEqual({ Contracts: 1 });
    // A lease held at close is a request in flight: given back, but counted for the cooling (the server may still
    // be working on it), as a request that got no answer is (governor/cooling.test.ts: a cooling slot frees).
    await b.close();
    const redis = rig.connection();
    const [slots] = await redis.keys(`*${rig.prefix}*Contracts*`);
    const [, score] = await redis.zrange(slots!, 0, -1, 'WITHSCORES');
    const [seconds, micros] = await redis.time();
    const serverNow = Number(seconds) * 1000 + Number(micros) / 1000;
    // Its end is the cooling's (≤ 5 s away), no longer a held lease's (slotLeaseMs, over a minute), and not yet past.
    expect(Number(score)).toBeGreaterThan(serverNow);
    expect(Number(score)).toBeLessThanOrEqual(serverNow + 5_000);
    expect((await a.snapshot()).slotsInUse).toEqual({ Contracts: 1 });
    await other.release();
    await expect(b.acquire('Contracts')).rejects.toMatchObject({ code: 'GOVERNOR_CLOSED' });
  });

  it('a live holder keeps its slot past its lease: the lease is renewed while held', async () => {
    // A lease several renewals long (one every lease/3), so a loaded machine cannot miss all of them.
    const a = rig.governor({ threadsPerEndpoint: 1, slotLeaseMs: 4_000 });
    const b = rig.governor({ threadsPerEndpoint: 1, slotLeaseMs: 4_000 });
    const lease = await a.acquire('BillingItems');
    const redis = rig.connection();
    const [slots] = await redis.keys(`*${rig.prefix}*BillingItems*`);
    expect(slots, 'the slot key').toBeDefined();
    const [, firstExpiry] = await redis.zrange(slots!, 0, 0, 'WITHSCORES');
    let got = false;
    const waiting = b.acquire('BillingItems').then((next) => { got = true; return next; });
    // Wait (by Redis' clock, which the slot expiries use) until the first lease would have ended…
    await vi.waitFor(async () => {
      const [seconds, micros] = await redis.time();
      expect(Number(seconds) * 1000 + Number(micros) / 1000).toBeGreaterThan(Number(firstExpiry));
    }, { timeout: 30_000, interval: 50 });
    // …and until b has asked again since: it is still refused, because a renewed the lease.
    const asked = watch.count('evalsha', 'eval');
    await vi.waitFor(() => { expect(watch.count('evalsha', 'eval') - asked).toBeGreaterThanOrEqual(2); }, { timeout: 20_000, interval: 5 });
    expect(got).toBe(false);
    expect(await redis.zcard(slots!)).toBe(1);
    await lease.release();
    await (await waiting).release();
    expect(got).toBe(true);
  });
});
