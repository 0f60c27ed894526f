/**
 * Found by the fault tests: runs that overlap. BullMQ de-duplicates a job only against an equal one (same name,
 * tenant and data), so a scheduled sync-all and a manual one with stage data, or two pushes of overlapping
 * entries, are separate jobs that a worker (concurrency > 1) or two workers run at the same time. Each run's
 * exactly-once check looks before it writes, and both looked before either wrote: two Problems for one group,
 * every billing item marked twice with two webServiceDate values, two notes. The runtime now lets one run per
 * tenant of each writing job hold a lease (src/store/job-mutex.ts); the other waits, delayed, without spending
 * an attempt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { tryAcquireJobMutex } from '../../../src/store/job-mutex.js';
import { TenantStore } from '../../../src/sandbox/index.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';
import { cleanPrefix, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { poll, smallerDemoTenant, timeEntries } from './support/scenario.js';
import { NO_DUPLICATES, tenantDuplicates } from './support/tenant-state.js';

const NOW = new Date();

describe('overlapping runs of the writing jobs', () => {
  let product: Product;
  const prefix = uniquePrefix('overlap');
  const invoiceDir = mkdtempSync(join(tmpdir(), 'autotask-sync-overlap-'));

  beforeAll(async () => {
    product = await startProduct({ sandbox: { scenario: smallerDemoTenant(NOW, 2), now: NOW, latencyMs: 3 },
      file: { queue: { prefix, concurrency: 8, backoffMs: 200, shutdownGraceMs: 2_000 },
        autotask: { retryMinMs: 5, retryMaxMs: 50, requestTimeoutMs: 5_000 } },
      env: { INVOICE_OUTPUT_DIR: invoiceDir } });
  });

  afterAll(async () => {
    await product?.close();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    await cleanPrefix(redis, prefix); // startProduct cleans only the prefix it makes itself
    await redis.quit();
    rmSync(invoiceDir, { recursive: true, force: true });
  });

  it('two sync-all flows and two overlapping pushes at once write everything once', async () => {
    const entries = timeEntries(NOW, 5, 'overlap');
    const jobs = [
      ['sync-all', {}],
      ['sync-all', { stageData: { 'sync-tickets': { full: true } } }],
      ['push-time-entries', { entries: entries.slice(0, 4) }],
      ['push-time-entries', { entries }],
    ] as const;
    const ids: string[] = [];
    for (const [job, data] of jobs) {
      const answer = await product.api('POST', `/api/jobs/${job}`, { data });
      expect(answer.body.deduplicated).toBe(false);
      ids.push(String(answer.body.jobId));
    }
    for (const id of ids) {
      const state = await eventually(async () => {
        const { body } = await product.api('GET', `/api/jobs/${id}`);
        return body.state === 'completed' || body.state === 'failed' ? String(body.state) : false;
      }, 90_000, `job ${id}`);
      expect(state, `job ${id}`).toBe('completed');
    }
    const initial = new TenantStore(smallerDemoTenant(NOW, 2));
    expect(tenantDuplicates(product.sandbox, initial)).toEqual(NO_DUPLICATES);
    const open = initial.all('BillingItems').filter((b) => b.invoiceID === null && b.webServiceDate === null).length;
    const writes = product.sandbox.stats().writes;
    expect(writes.BillingItems?.PATCH).toBe(open);
    expect(writes.TimeEntries?.POST).toBe(entries.length);
    expect(writes.Tickets?.POST).toBe(1);
  }, 120_000);

  it('the lease: one holder per tenant and job, renewed while held, free again on release; a lost lease aborts its holder', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const keyPrefix = uniquePrefix('mutex');
    // A lease long enough that a loaded machine cannot miss a renewal (one every leaseMs/3).
    const options = { redis, keyPrefix, tenantId: 'default', name: 'build-invoices', leaseMs: 6_000 };
    try {
      const first = await tryAcquireJobMutex(options);
      expect(first).not.toBeNull();
      expect(await tryAcquireJobMutex(options)).toBeNull();
      expect(await tryAcquireJobMutex({ ...options, name: 'detect-problems' })).not.toBeNull();
      // Renewed while held: the lease key's time to live goes back up (only a renewal raises it). The key is
      // found under this test's own prefix, so the test does not depend on how src/store names it.
      const [leaseKey] = (await redis.keys(`*${keyPrefix}*build-invoices*`));
      expect(leaseKey, 'the lease key').toBeDefined();
      let lowest = await redis.pttl(leaseKey!);
      await poll(async () => {
        const ttl = await redis.pttl(leaseKey!);
        if (ttl > lowest) return true;
        lowest = Math.min(lowest, ttl);
        return undefined;
      }, 30_000, 'the held lease to be renewed');
      expect(await tryAcquireJobMutex(options)).toBeNull();
      expect(first!.signal.aborted).toBe(false);
      await first!.release();
      const second = await tryAcquireJobMutex(options);
      expect(second).not.toBeNull();
      await cleanPrefix(redis, keyPrefix); // as if Redis lost its data
      await eventually(async () => second!.signal.aborted, 30_000, 'the holder to hear its lease is gone');
      expect(second!.signal.reason).toMatchObject({ code: 'JOB_MUTEX_LOST' });
      await second!.release();
    } finally {
      await cleanPrefix(redis, keyPrefix);
      await redis.quit();
    }
  });
});
