/**
 * One run at a time, per tenant, of a job that writes to the tenant (build-invoices, detect-problems,
 * push-time-entries). Their exactly-once checks look before they write — an item's webServiceDate, a Problem
 * by its group key, a time entry by ticket, resource and start — which holds across retries and crashes but not
 * between two runs at once: two sync-all flows with different data (a schedule and a manual trigger), or a
 * stage triggered on its own beside a flow, are different BullMQ jobs, and both would see "not yet made" and
 * make it (two Problems for one group, every item marked twice).
 *
 * A lease in Redis (SET NX PX with a random token), renewed while the run lasts; a crashed holder's lease ends
 * after `leaseMs`. If a renewal finds the lease gone (Redis lost its data, or this process stalled past the
 * lease) the run's signal is aborted, so it stops before its next write instead of racing a new holder; the
 * check runs every leaseMs/3 and at once whenever the connection to Redis is ready again.
 */
import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../lib/redis-connection.js';
import { AppError } from '../lib/errors.js';
import { keepRenewed } from '../lib/lease-renewal.js';
import { luaScript, runScript } from '../lib/redis-script.js';
import { tenantKeys } from './keys.js';

const RENEW = luaScript('lease-renew',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`);
const RELEASE = luaScript('lease-release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`);

export class JobMutexLostError extends AppError {
  constructor(name: string) {
    super('JOB_MUTEX_LOST', `the lease of this ${name} run was lost (Redis data lost or the process stalled); stopping before the next write`,
      { retryable: true });
  }
}

export interface JobMutexLease {
  /** Aborted when the lease is found lost. */
  signal: AbortSignal;
  release(): Promise<void>;
}

export interface JobMutexOptions {
  redis: RedisConnection;
  keyPrefix: string;
  tenantId: string;
  /** The job name: one lease per tenant and job. */
  name: string;
  leaseMs: number;
}

/** The lease, or null when another run holds it. */
export async function tryAcquireJobMutex(options: JobMutexOptions): Promise<JobMutexLease | null> {
  const { redis, leaseMs, name } = options;
  const key = tenantKeys(options.keyPrefix, options.tenantId).lock(`job:${name}`);
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', leaseMs, 'NX')) !== 'OK') return null;
  const lost = new AbortController();
  // Redis unreachable during a renewal: try again next tick; the lease outlives a short outage.
  const renewal = keepRenewed({ leaseMs, checkOnReconnect: redis,
    renew: async () => Number(await runScript(redis, RENEW, [key], [token, leaseMs])) === 1,
    onLost: () => lost.abort(new JobMutexLostError(name)) });
  let released: Promise<void> | null = null;
  return {
    signal: lost.signal,
    release: () => (released ??= (async () => {
      renewal.stop();
      // A release that fails leaves a lease that ends by itself after leaseMs.
      await runScript(redis, RELEASE, [key], [token]).catch(() => undefined);
    })()),
  };
}
