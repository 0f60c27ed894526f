/**
 * docs/many-tenants.md#per-tenant-cap: one tenant with a backlog cannot hold more than `queue.maxActivePerTenant`
 * of a worker process's slots; another tenant's sync-all runs in the slots left, and a job over the cap waits
 * without spending an attempt. Real Redis, the real BullMQ worker, two sandbox tenants over HTTP.
 * Every assertion is on order (BullMQ's event stream, job states), never on elapsed time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JOBS_QUEUE } from '../../../src/runtime/queues.js';
import { createRedis } from '../../../src/runtime/redis.js';
import { generateTenant, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { startProduct, type Product } from '../../helpers/product.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

const NOW = new Date();
const prefix = uniquePrefix('tenant-cap');
const dir = mkdtempSync(join(tmpdir(), 'tenant-cap-'));
let p: Product;
let small: SandboxHandle;
let events: QueueEvents;
/** BullMQ's event stream of the jobs queue, in the order Redis wrote it. */
const stream: Array<{ event: string; jobId: string; prev?: string }> = [];

beforeAll(async () => {
  small = await startSandbox({ scenario: generateTenant({ seed: 2, now: NOW, companies: 2, contracts: 3, tickets: 20, billingItems: 5,
    apiUserName: 'api@small.sandbox.local' }), credentials: { username: 'api@small.sandbox.local', secret: 'small-secret', integrationCode: 'SMALLCODE' } });
  p = await startProduct({
    // The big tenant: a backlog of open billing items read a page of 50 at a time, each answer taking 60 ms, so its
    // billing-item pull outlasts the small tenant's whole run by construction (60 sequential pages), on any machine.
    sandbox: { scenario: generateTenant({ seed: 1, now: NOW, companies: 4, contracts: 8, tickets: 20, billingItems: 3_000 }), latencyMs: 60 },
    env: { SMALL_USER: 'api@small.sandbox.local', SMALL_SECRET: 'small-secret', SMALL_CODE: 'SMALLCODE', INVOICE_OUTPUT_DIR: dir },
    file: {
      // Merged into startProduct's queue settings; the prefix is this test's own so it can read the queue itself.
      queue: { prefix, concurrency: 4, maxActivePerTenant: 2, backoffMs: 200, shutdownGraceMs: 2_000 },
      autotask: { pageSize: 50 },
      pull: { partitions: 1 },
      tenants: [{ id: 'small', usernameEnv: 'SMALL_USER', secretEnv: 'SMALL_SECRET', integrationCodeEnv: 'SMALL_CODE', baseUrl: small.url }],
    },
  });
  // From the stream's start (the prefix is new): no event is missed while the reader connects.
  events = new QueueEvents(JOBS_QUEUE, { connection: createRedis(REDIS_URL, 'tenant-cap-events'), prefix: p.runtime.queues.prefix, lastEventId: '0' });
  for (const name of ['active', 'completed', 'failed', 'delayed', 'waiting-children'] as const) {
    events.on(name, (args: { jobId: string; prev?: string }) => { stream.push({ event: name, jobId: args.jobId, ...(args.prev ? { prev: args.prev } : {}) }); });
  }
  await events.waitUntilReady();
}, 60_000);

afterAll(async () => {
  await events?.close();
  await p?.close();
  await small?.close();
  const redis = connectRedis();
  await cleanPrefix(redis, prefix);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

const enqueue = async (tenant: string): Promise<string> => {
  const { status, body } = await p.api('POST', '/api/jobs/sync-all', { tenant, data: {} });
  expect(status).toBe(202);
  return body.jobId as string;
};

describe('per-tenant cap on active jobs (queue.maxActivePerTenant)', () => {
  it('keeps a big tenant to 2 running jobs while a small tenant\'s sync-all completes beside it; the job over the cap spends no attempt', async () => {
    const bigFlow = await enqueue('default');
    // The big tenant's pulls are under way: its sandbox has answered a billing-item page.
    let itemPages = 0;
    const stop = p.sandbox.onRequest((entry) => { if (entry.entity === 'BillingItems') itemPages += 1; });
    await vi.waitFor(() => { expect(itemPages).toBeGreaterThan(0); }, { timeout: 30_000, interval: 20 });
    stop();

    const smallFlow = await enqueue('small');
    await vi.waitFor(async () => {
      const state = await (await p.runtime.queues.jobs.getJob(smallFlow))?.getState();
      if (state === 'failed') throw new Error(`small sync-all failed: ${(await p.runtime.queues.jobs.getJob(smallFlow))?.failedReason}`);
      expect(state).toBe('completed');
    }, { timeout: 60_000, interval: 50 });
    await vi.waitFor(() => { expect(stream.some((e) => e.event === 'completed' && e.jobId === smallFlow)).toBe(true); }, { timeout: 10_000, interval: 20 });

    // The small tenant was served while the big one's run was still going: its flow waits for its stages, and the
    // billing-item pull (60 pages) had not finished when the small flow completed.
    expect(await (await p.runtime.queues.jobs.getJob(bigFlow))?.getState()).toBe('waiting-children');
    const jobs = new Map<string, { tenant: string; name: string }>();
    const describeJob = async (jobId: string) => {
      if (!jobs.has(jobId)) {
        const job = await p.runtime.queues.jobs.getJob(jobId);
        jobs.set(jobId, { tenant: job?.data.tenant ?? '?', name: job?.name ?? '?' });
      }
      return jobs.get(jobId)!;
    };
    const smallDone = stream.findIndex((e) => e.event === 'completed' && e.jobId === smallFlow);
    const bigItemPullDone = await (async () => {
      for (const [index, e] of stream.entries()) {
        const job = await describeJob(e.jobId);
        if (e.event === 'completed' && job.tenant === 'default' && job.name === 'sync-billing-items') return index;
      }
      return Number.POSITIVE_INFINITY;
    })();
    expect(smallDone).toBeLessThan(bigItemPullDone);

    // Wait for the big tenant's three pulls to end (the one over the cap ran once a slot of the tenant freed).
    const bigPulls = async () => (await Promise.all((await p.runtime.queues.jobs.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']))
      .map(async (job) => ({ job, state: await job.getState() })))).filter(({ job }) => job.data.tenant === 'default' && job.name.startsWith('sync-'));
    await vi.waitFor(async () => {
      const pulls = (await bigPulls()).filter(({ job }) => job.name !== 'sync-all');
      expect(pulls.map(({ job }) => job.name).sort()).toEqual(['sync-billing-items', 'sync-contracts', 'sync-tickets']);
      expect(pulls.map(({ state }) => state)).toEqual(['completed', 'completed', 'completed']);
    }, { timeout: 120_000, interval: 200 });

    // Replay BullMQ's event stream: a job runs from `active` until it completes, fails or waits for its children.
    // `active` directly followed (for that job) by `delayed` is a job the worker took and handed back at once
    // (over the cap): it never ran, so it is not counted.
    for (const e of stream) await describeJob(e.jobId);
    const handedBack = new Set<number>();
    stream.forEach((e, index) => {
      if (e.event !== 'active') return;
      const next = stream.slice(index + 1).find((later) => later.jobId === e.jobId);
      if (next?.event === 'delayed') handedBack.add(index);
    });
    const running = new Map<string, Set<string>>();
    let mostBig = 0;
    stream.forEach((e, index) => {
      const { tenant } = jobs.get(e.jobId)!;
      const set = running.get(tenant) ?? new Set<string>();
      running.set(tenant, set);
      if (e.event === 'active') { if (!handedBack.has(index)) set.add(e.jobId); } else set.delete(e.jobId);
      if (tenant === 'default') mostBig = Math.max(mostBig, set.size);
    });
    const parkedBig = [...handedBack].filter((index) => jobs.get(stream[index]!.jobId)!.tenant === 'default').length;
    // Without the cap the big tenant's three pulls all run at once (3 of the 4 slots).
    expect(mostBig).toBe(2);
    expect(parkedBig).toBeGreaterThan(0);
    // The pull that waited over the cap spent no attempt: every big pull completed on its first.
    for (const { job } of (await bigPulls()).filter(({ job }) => job.name !== 'sync-all')) {
      expect({ name: job.name, attemptsMade: job.attemptsMade, failed: job.failedReason ?? null })
        .toEqual({ name: job.name, attemptsMade: 1, failed: null });
    }
  }, 180_000);
});
