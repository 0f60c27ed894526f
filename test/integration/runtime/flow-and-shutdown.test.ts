import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/errors.js';
import type { JobName } from '../../../src/lib/job-names.js';
import { listDeadLetters } from '../../../src/runtime/dead-letter.js';
import { enqueueJob } from '../../../src/runtime/enqueue.js';
import { connectRedis } from '../../helpers/redis.js';
import { closeAfterEach, deferred, probeJob, registryOf, startTestRuntime, syncAllDefinition, syncAllEntry, testConfig, waitFor } from './support.js';

const { runtimes, prefixes } = closeAfterEach();

const STAGES: JobName[] = ['sync-contracts', 'sync-billing-items', 'sync-tickets', 'build-invoices', 'detect-problems', 'push-time-entries'];

async function start(registry: ReturnType<typeof registryOf>, queue: Record<string, unknown> = {}) {
  const config = testConfig({ file: { queue } });
  prefixes.push(config.queue.prefix);
  const runtime = await startTestRuntime(config, registry);
  runtimes.push(runtime);
  return { runtime, deps: { config, queues: runtime.queues, registry, tenants: runtime.services.tenants } };
}

describe('sync-all flow', () => {
  it('runs the three pulls first, then build-invoices, detect-problems, push-time-entries, then summarises', async () => {
    const order: string[] = [];
    const probes = STAGES.map((name) => probeJob(name, () => { order.push(name); }));
    const registry = registryOf([...probes.map((p) => p.definition), syncAllDefinition], [syncAllEntry]);
    const { runtime, deps } = await start(registry);
    const { jobId } = await enqueueJob(deps, { name: 'sync-all', data: { stageData: { 'sync-tickets': { n: 5 } } } });
    const root = await waitFor(async () => {
      // State first, then the job: a job read before it settled would carry no result or reason yet.
      if ((await runtime.queues.jobs.getJobState(jobId)) !== 'completed') return undefined;
      return runtime.queues.jobs.getJob(jobId);
    }, 'sync-all completion');
    expect(order.slice(0, 3).sort()).toEqual(['sync-billing-items', 'sync-contracts', 'sync-tickets']);
    expect(order.slice(3)).toEqual(['build-invoices', 'detect-problems', 'push-time-entries']);
    expect(probes[2]!.calls[0]!.data).toEqual({ n: 5 });
    const result = root.returnvalue as { counts: Record<string, number>; stages: Array<{ job: string }> };
    expect(result.counts.stages).toBe(6);
    expect(result.stages.map((s) => s.job)).toEqual(STAGES);
  });

  it('a stage that fails for good stops no other stage; sync-all then fails naming the stage and its own reason', async () => {
    const ran: string[] = [];
    const probes = STAGES.map((name) => probeJob(name, () => {
      ran.push(name);
      if (name === 'sync-tickets') throw new AppError('AUTOTASK_VALIDATION', 'filter field not queryable');
    }));
    const registry = registryOf([...probes.map((p) => p.definition), syncAllDefinition], [syncAllEntry]);
    const { runtime, deps } = await start(registry);
    const { jobId } = await enqueueJob(deps, { name: 'sync-all' });
    const root = await waitFor(async () => {
      // State first, then the job: a job read before it settled would carry no result or reason yet.
      if ((await runtime.queues.jobs.getJobState(jobId)) !== 'failed') return undefined;
      return runtime.queues.jobs.getJob(jobId);
    }, 'sync-all failure');
    // Issue 14 item 3: the unrelated stories still ran, and the reason is the stage's own, not "child {…}:jobs:… failed".
    expect([...ran].sort()).toEqual([...STAGES].sort());
    expect(root.failedReason).toMatch(/stage sync-tickets failed: AUTOTASK_VALIDATION: filter field not queryable \(5 other stage\(s\) completed: /);
    expect(root.failedReason).not.toMatch(/child .* failed/);
    const letters = await waitFor(async () => { const l = await listDeadLetters(deps); return l.length >= 2 ? l : undefined; }, 'dead letters');
    expect(letters.map((l) => l.name).sort()).toEqual(['sync-all', 'sync-tickets']);
    expect(letters.find((l) => l.name === 'sync-tickets')!.failedReason).toBe('AUTOTASK_VALIDATION: filter field not queryable');
  });

  it('fails sync-all clearly when a stage has no handler yet', async () => {
    const registry = registryOf([syncAllDefinition], [syncAllEntry]);
    const { runtime, deps } = await start(registry);
    const { jobId } = await enqueueJob(deps, { name: 'sync-all' });
    const root = await waitFor(async () => {
      // State first, then the job: a job read before it settled would carry no result or reason yet.
      if ((await runtime.queues.jobs.getJobState(jobId)) !== 'failed') return undefined;
      return runtime.queues.jobs.getJob(jobId);
    }, 'sync-all failure');
    expect(root.attemptsMade).toBe(1);
    expect(root.failedReason).toMatch(/^JOB_STAGE_MISSING: sync-all: no handler registered for stage sync-contracts, /);
  });
});

describe('graceful shutdown', () => {
  it('stops taking jobs and lets a running job finish before closing', async () => {
    const gate = deferred();
    const started = deferred();
    const probe = probeJob('sync-tickets', async (attempt) => {
      if (attempt === 1) { started.resolve(); await gate.promise; }
    });
    const { runtime, deps } = await start(registryOf([probe.definition]));
    const running = await enqueueJob(deps, { name: 'sync-tickets', data: { n: 1 } });
    await started.promise;
    const closed = runtime.close();
    await waitFor(() => runtime.worker!.worker.isPaused(), 'worker paused');
    // Added while draining: must not be taken by this worker.
    const queued = await runtime.queues.jobs.add('sync-tickets', { tenant: 'default', data: { n: 2 } });
    gate.resolve();
    await expect(closed).resolves.toBe(true);
    const redis = connectRedis();
    try {
      const { Queue } = await import('bullmq');
      const queue = new Queue('jobs', { connection: redis, prefix: runtime.queues.prefix });
      expect(await (await queue.getJob(running.jobId))!.getState()).toBe('completed');
      expect(await (await queue.getJob(queued.id!))!.getState()).toBe('waiting');
      expect(probe.calls).toHaveLength(1);
      await queue.close();
    } finally {
      await redis.quit();
    }
  });

  it('past the grace period aborts the running job and puts it back without spending an attempt', async () => {
    const started = deferred();
    const probe = probeJob('sync-tickets');
    const slow = { ...probe.definition, async handler(ctx: Parameters<typeof probe.definition.handler>[0]) {
      started.resolve();
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      return { summary: 'never', counts: {} };
    } };
    const { runtime, deps } = await start(registryOf([slow]), { shutdownGraceMs: 200 });
    const { jobId } = await enqueueJob(deps, { name: 'sync-tickets' });
    await started.promise;
    await expect(runtime.close()).resolves.toBe(true);
    const redis = connectRedis();
    try {
      const { Queue } = await import('bullmq');
      const queue = new Queue('jobs', { connection: redis, prefix: runtime.queues.prefix });
      const job = (await queue.getJob(jobId))!;
      expect(['delayed', 'waiting']).toContain(await job.getState());
      expect(job.attemptsMade).toBe(0);
      await queue.close();
    } finally {
      await redis.quit();
    }
  });
});
