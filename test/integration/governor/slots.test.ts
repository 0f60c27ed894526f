import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyMeter, GovernorRig, pause } from './support.js';

let rig: GovernorRig;
beforeEach(() => { rig = new GovernorRig(); });
afterEach(async () => { await rig.cleanup(); });

describe('slots shared by every process', () => {
  it('two instances never hold more than 3 slots of one endpoint at once, and do reach 3', async () => {
    const governors = [rig.governor(), rig.governor()];
    const meter = new ConcurrencyMeter();
    let done = 0;
    await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const lease = await governors[i % 2]!.acquire('Tickets');
      try {
        meter.enter();
        await pause(30);
        meter.leave();
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
    const server: Server = createServer((_req, res) => {
      meter.enter();
      setTimeout(() => {
        meter.leave();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
      }, 40);
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

  it('release is idempotent and close() frees what a governor still holds', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1 });
    const b = rig.governor({ threadsPerEndpoint: 1 });
    const lease = await a.acquire('Contracts');
    await lease.release();
    await lease.release();
    const other = await b.acquire('Contracts');
    await lease.release(); // a second release of a's old lease must not free b's slot
    expect((await a.snapshot()).slotsInUse).toEqual({ Contracts: 1 });
    await b.close();
    expect((await a.snapshot()).slotsInUse).toEqual({ Contracts: 0 });
    await other.release();
    await expect(b.acquire('Contracts')).rejects.toMatchObject({ code: 'GOVERNOR_CLOSED' });
  });

  it('a live holder keeps its slot past its lease: the lease is renewed while held', async () => {
    const a = rig.governor({ threadsPerEndpoint: 1, slotLeaseMs: 1_000 });
    const b = rig.governor({ threadsPerEndpoint: 1, slotLeaseMs: 1_000 });
    const lease = await a.acquire('BillingItems');
    await expect(b.acquire('BillingItems', AbortSignal.timeout(2_500))).rejects.toMatchObject({ name: 'TimeoutError' });
    await lease.release();
    await (await b.acquire('BillingItems')).release();
  });
});
