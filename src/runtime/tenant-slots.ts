/**
 * A per-tenant cap on the jobs one worker process runs at once (config `queue.maxActivePerTenant`;
 * docs/many-tenants.md#per-tenant-cap). Without it, one tenant with a backlog (a first sync-all: three parallel
 * pulls of 20,000 records) holds most of a process's `queue.concurrency` slots, and every other tenant's schedule
 * queues behind it.
 *
 * A job over the cap goes back to the queue as delayed without spending an attempt (processor.ts), as a job
 * waiting for the tenant's write lease does: it has not started, so exactly-once is untouched. It is parked
 * here, and when a job of the same tenant ends in this process, the first parked one is woken (promoted to
 * waiting, behind whatever other tenants queued meanwhile); the delay is only the fallback for a wake that was
 * lost (the process died, or the job was taken by another process).
 *
 * In memory, per process: a crashed process's counts go with it, so nothing is ever left held.
 */
export interface ParkedJob {
  /** Moves the job from delayed to waiting; rejects when it is no longer delayed (already taken). */
  promote(): Promise<void>;
}

export interface TenantSlots {
  /** Takes a slot of `tenant`, or answers false when the tenant already runs `cap` jobs here. */
  tryTake(tenant: string): boolean;
  /** Gives a slot back; wakes the tenant's first parked job, if any. */
  release(tenant: string): void;
  /**
   * Parks a job that was refused and has been moved to delayed. If a slot freed meanwhile (between the refusal and
   * now), the job is woken at once instead of waiting for its delay.
   */
  park(tenant: string, job: ParkedJob): void;
  /** Jobs of `tenant` running here now. */
  active(tenant: string): number;
}

export function createTenantSlots(cap: number, onWakeError: (error: unknown) => void = () => undefined): TenantSlots {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`the per-tenant cap must be a positive integer, got ${cap}`);
  const running = new Map<string, number>();
  const parked = new Map<string, ParkedJob[]>();
  const wakeOne = (tenant: string): void => {
    const queue = parked.get(tenant);
    const job = queue?.shift();
    if (queue && queue.length === 0) parked.delete(tenant);
    // A job already taken again (its delay ran out, another process took it) cannot be promoted: nothing lost.
    job?.promote().catch(onWakeError);
  };
  return {
    tryTake(tenant) {
      const count = running.get(tenant) ?? 0;
      if (count >= cap) return false;
      running.set(tenant, count + 1);
      return true;
    },
    release(tenant) {
      const count = running.get(tenant) ?? 0;
      if (count <= 1) running.delete(tenant);
      else running.set(tenant, count - 1);
      wakeOne(tenant);
    },
    park(tenant, job) {
      const queue = parked.get(tenant) ?? [];
      queue.push(job);
      parked.set(tenant, queue);
      if ((running.get(tenant) ?? 0) < cap) wakeOne(tenant);
    },
    active: (tenant) => running.get(tenant) ?? 0,
  };
}

/**
 * The cap a process applies. It exists so one tenant cannot crowd out the others; with a single tenant configured
 * there is nobody to crowd out, and a cap would only idle slots — sync-all's three parallel pulls would run two at a
 * time, and every job over the cap would cost a round trip to delayed and back.
 */
export function effectiveTenantCap(settings: { maxActivePerTenant: number; concurrency: number }, tenantCount: number): number {
  return tenantCount > 1 ? settings.maxActivePerTenant : Math.max(settings.maxActivePerTenant, settings.concurrency);
}
