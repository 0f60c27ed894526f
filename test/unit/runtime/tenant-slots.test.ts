import { describe, expect, it } from 'vitest';
import { createTenantSlots, effectiveTenantCap, type ParkedJob } from '../../../src/runtime/tenant-slots.js';

/** docs/many-tenants.md#per-tenant-cap: at most `cap` jobs of one tenant run in a process; a parked one is woken. */
function parkedJob(): ParkedJob & { promoted: number } {
  const job = { promoted: 0, promote: async () => { job.promoted += 1; } };
  return job;
}

describe('tenant slots', () => {
  it('lets at most `cap` jobs of one tenant run, and never limits another tenant', () => {
    const slots = createTenantSlots(2);
    expect(slots.tryTake('big')).toBe(true);
    expect(slots.tryTake('big')).toBe(true);
    expect(slots.tryTake('big')).toBe(false);
    expect(slots.active('big')).toBe(2);
    for (let i = 0; i < 5; i += 1) expect(slots.tryTake(`small-${i}`)).toBe(true);
    expect(slots.tryTake('small-0')).toBe(true);
    expect(slots.tryTake('small-0')).toBe(false);
    slots.release('big');
    expect(slots.active('big')).toBe(1);
    expect(slots.tryTake('big')).toBe(true);
  });

  it('wakes the first parked job of the tenant when one of its jobs ends, one per release, in order', () => {
    const slots = createTenantSlots(1);
    expect(slots.tryTake('big')).toBe(true);
    const first = parkedJob();
    const second = parkedJob();
    const other = parkedJob();
    slots.park('big', first);
    slots.park('big', second);
    expect(slots.tryTake('small')).toBe(true);
    expect(first.promoted + second.promoted).toBe(0);
    slots.release('small');
    // Another tenant's job ending frees nothing of big's.
    expect(first.promoted + second.promoted + other.promoted).toBe(0);
    slots.release('big');
    expect(first.promoted).toBe(1);
    expect(second.promoted).toBe(0);
    expect(slots.tryTake('big')).toBe(true);
    slots.release('big');
    expect(second.promoted).toBe(1);
    slots.release('big');
    expect(first.promoted + second.promoted).toBe(2);
  });

  it('wakes a job parked after a slot already freed (the slot freed between its refusal and its parking)', () => {
    const slots = createTenantSlots(1);
    expect(slots.tryTake('big')).toBe(true);
    expect(slots.tryTake('big')).toBe(false);
    slots.release('big');
    const late = parkedJob();
    slots.park('big', late);
    expect(late.promoted).toBe(1);
  });

  it('a wake that fails (the job was taken meanwhile) is reported, not thrown', async () => {
    const errors: unknown[] = [];
    const slots = createTenantSlots(1, (error) => errors.push(error));
    expect(slots.tryTake('big')).toBe(true);
    slots.park('big', { promote: () => Promise.reject(new Error('job is not delayed')) });
    slots.release('big');
    await expect.poll(() => errors.length).toBe(1);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => createTenantSlots(0)).toThrow(RangeError);
    expect(() => createTenantSlots(1.5)).toThrow(RangeError);
  });

  it('caps only a deployment with more than one tenant: a single tenant keeps every slot of the process', () => {
    const queue = { maxActivePerTenant: 2, concurrency: 4 };
    expect(effectiveTenantCap(queue, 1)).toBe(4);
    expect(effectiveTenantCap(queue, 2)).toBe(2);
    expect(effectiveTenantCap(queue, 51)).toBe(2);
    // A cap set above the concurrency stays what was set.
    expect(effectiveTenantCap({ maxActivePerTenant: 8, concurrency: 4 }, 1)).toBe(8);
  });
});
