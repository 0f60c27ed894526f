import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisCommandWatch } from '../../helpers/redis.js';
import { GovernorRig } from './support.js';

let rig: GovernorRig;
let watch: RedisCommandWatch;
beforeEach(async () => { rig = new GovernorRig(); watch = await new RedisCommandWatch(rig.prefix).start(); });
afterEach(async () => { watch.stop(); await rig.cleanup(); });

/** Resolves once the governor's slot script has run `times` more times on this rig's keys (a waiter's polls). */
async function slotAttempts(times: number): Promise<void> {
  const from = watch.count('evalsha', 'eval');
  await vi.waitFor(() => { expect(watch.count('evalsha', 'eval') - from).toBeGreaterThanOrEqual(times); }, { timeout: 20_000, interval: 10 });
}

describe('waiting for a slot', () => {
  it('rejects with the signal\'s reason when aborted while waiting, and takes no slot', async () => {
    const governor = rig.governor();
    const other = rig.governor();
    const held = await Promise.all([1, 2, 3].map(() => other.acquire('Invoices')));
    const controller = new AbortController();
    const waiting = governor.acquire('Invoices', controller.signal);
    waiting.catch(() => undefined); // asserted below, after the abort
    // Aborted once it is waiting: refused a slot twice. The slots stay held, so only the abort can end the wait
    // (were it ignored, the test would time out).
    await slotAttempts(2);
    controller.abort(new Error('job cancelled'));
    await expect(waiting).rejects.toThrow('job cancelled');
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
    await slotAttempts(2); // refused twice while the holder keeps it
    expect(got).toBe(false);
    await first.release();
    await (await waiting).release();
    expect(got).toBe(true);
  });
});
