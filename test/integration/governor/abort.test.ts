import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GovernorRig } from './support.js';

let rig: GovernorRig;
beforeEach(() => { rig = new GovernorRig(); });
afterEach(async () => { await rig.cleanup(); });

describe('waiting for a slot', () => {
  it('rejects promptly with the signal\'s reason when aborted, and takes no slot', async () => {
    const governor = rig.governor();
    const other = rig.governor();
    const held = await Promise.all([1, 2, 3].map(() => other.acquire('Invoices')));
    const controller = new AbortController();
    const waiting = governor.acquire('Invoices', controller.signal);
    setTimeout(() => controller.abort(new Error('job cancelled')), 50);
    const started = Date.now();
    await expect(waiting).rejects.toThrow('job cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await governor.snapshot()).slotsInUse).toEqual({ Invoices: 3 });
    await Promise.all(held.map((lease) => lease.release()));
  });

  it('rejects at once on a signal that is already aborted, even with free slots', async () => {
    const governor = rig.governor();
    await expect(governor.acquire('Invoices', AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(await governor.snapshot()).toMatchObject({ used: 0, slotsInUse: {} });
  });

  it('hands the slot to a waiter once a holder releases, not before', async () => {
    const governor = rig.governor({ threadsPerEndpoint: 1 });
    const other = rig.governor({ threadsPerEndpoint: 1 });
    const first = await other.acquire('Invoices');
    let got = false;
    const waiting = governor.acquire('Invoices').then((lease) => { got = true; return lease; });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(got).toBe(false);
    await first.release();
    await (await waiting).release();
    expect(got).toBe(true);
  });
});
