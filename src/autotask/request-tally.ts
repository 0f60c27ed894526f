/**
 * Requests sent to Autotask, counted per run (issue 17 item 4): the client is shared by every job of a tenant in a
 * process, so its own counters cannot say what one run spent. A run is wrapped in `tallyRequests`; every request
 * the Requester sends inside it (the async context follows awaits, not the client) adds to that run's tally.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestCount {
  entity: string;
  method: string;
  count: number;
}

export class RequestTally {
  private readonly counts = new Map<string, RequestCount>();

  add(entity: string, method: string, count = 1): void {
    const key = `${entity} ${method}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += count;
    else this.counts.set(key, { entity, method, count });
  }

  list(): RequestCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }))
      .sort((a, b) => a.entity.localeCompare(b.entity) || a.method.localeCompare(b.method));
  }
}

const current = new AsyncLocalStorage<RequestTally>();

/** Runs `fn` and counts every Autotask request it sends. */
export async function tallyRequests<T>(fn: () => Promise<T>): Promise<{ value: T; tally: RequestTally }> {
  const tally = new RequestTally();
  const value = await current.run(tally, fn);
  return { value, tally };
}

/** Called by the Requester once per request that went out (answered or not). */
export function countRequest(entity: string, method: string): void {
  current.getStore()?.add(entity, method);
}
