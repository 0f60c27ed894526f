/**
 * Keeping a Redis lease alive while its holder works: the governor's slot leases and the tenant's write lease
 * (src/store/job-mutex.ts) both renew every third of the lease, so two missed renewals still leave the lease
 * standing, and both stop renewing the moment the lease is found gone (someone else may hold it now).
 */
import type { RedisConnection } from './redis-connection.js';

export interface RenewalOptions {
  leaseMs: number;
  /** One renewal: true while the lease is still ours. A rejection (Redis unreachable) is tried again next tick. */
  renew(): Promise<boolean>;
  /** The lease was found gone; renewal has already stopped. */
  onLost(): void;
  onError?(error: unknown): void;
  /**
   * Check at once whenever this connection is ready again: a reconnect may be to a Redis that restarted without
   * its data, and waiting for the next tick would let the holder write meanwhile.
   */
  checkOnReconnect?: RedisConnection;
}

export interface Renewal {
  stop(): void;
}

/** One 'ready' listener per connection, however many leases it serves (no listener-count warnings). */
const onReady = new WeakMap<RedisConnection, Set<() => void>>();

function watchReady(redis: RedisConnection, check: () => void): () => void {
  let checks = onReady.get(redis);
  if (!checks) {
    const set = new Set<() => void>();
    onReady.set(redis, set);
    redis.on('ready', () => { for (const run of set) run(); });
    checks = set;
  }
  checks.add(check);
  return () => { checks.delete(check); };
}

export function renewalIntervalMs(leaseMs: number): number {
  return Math.max(250, Math.floor(leaseMs / 3));
}

export function keepRenewed(options: RenewalOptions): Renewal {
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    unwatch();
  };
  function check(): void {
    if (stopped) return;
    options.renew().then((held) => {
      if (held || stopped) return;
      stop();
      options.onLost();
    }, (error: unknown) => options.onError?.(error));
  }
  const timer = setInterval(check, renewalIntervalMs(options.leaseMs));
  timer.unref();
  const unwatch = options.checkOnReconnect ? watchReady(options.checkOnReconnect, check) : () => undefined;
  return { stop };
}
