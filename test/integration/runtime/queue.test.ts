import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../../src/autotask/errors.js';
import { AppError, InputError } from '../../../src/lib/errors.js';
import { listDeadLetters, requeueDeadLetter } from '../../../src/runtime/dead-letter.js';
import { enqueueJob } from '../../../src/runtime/enqueue.js';
import type { Runtime } from '../../../src/app/process.js';
import { closeAfterEach, deferred, probeJob, registryOf, startTestRuntime, testConfig, waitFor } from './support.js';

const { runtimes, prefixes } = closeAfterEach();

async function start(registry: ReturnType<typeof registryOf>, file: Record<string, unknown> = {}) {
  const config = testConfig({ file });
  prefixes.push(config.queue.prefix);
  const runtime = await startTestRuntime(config, registry);
  runtimes.push(runtime);
  const deps = { config, queues: runtime.queues, registry, tenants: runtime.services.tenants };
  return { runtime, deps, config };
}

async function stateOf(runtime: Runtime, id: string) {
  // State first, then the job: a job read before its state may be an older copy (attempts not yet counted).
  const state = await runtime.queues.jobs.getJobState(id);
  const job = state === 'unknown' ? undefined : await runtime.queues.jobs.getJob(id);
  return job ? { job, state } : undefined;
}

describe('queue runtime (real Redis, real BullMQ worker)', () => {
  it('runs a triggered job to completion and keeps its result and progress', async () => {
    const probe = probeJob('sync-tickets');
    const { runtime, deps } = await start(registryOf([probe.definition]));
    const { jobId, tenant, deduplicated } = await enqueueJob(deps, { name: 'sync-tickets', data: { n: 1 } });
    expect(tenant).toBe('default');
    expect(deduplicated).toBe(false);
    const done = await waitFor(async () => { const s = await stateOf(runtime, jobId); return s?.state === 'completed' ? s.job : undefined; }, 'completion');
    expect(done.returnvalue).toMatchObject({ summary: 'sync-tickets ran', counts: { calls: 1 } });
    expect(done.progress).toEqual({ step: 'started' });
    expect(done.queueQualifiedName).toBe(`{${runtime.services.config.queue.prefix}}:jobs`);
    expect(probe.calls).toEqual([{ jobId, data: { n: 1 }, tenant: 'default' }]);
  });

  it('retries a retryable failure with backoff, then succeeds', async () => {
    const probe = probeJob('sync-contracts', (attempt) => {
      if (attempt === 1) throw new AppError('AUTOTASK_TRANSIENT', 'bare 500', { retryable: true });
    });
    const { runtime, deps } = await start(registryOf([probe.definition]));
    const { jobId } = await enqueueJob(deps, { name: 'sync-contracts' });
    const done = await waitFor(async () => { const s = await stateOf(runtime, jobId); return s?.state === 'completed' ? s.job : undefined; }, 'completion');
    expect(probe.calls).toHaveLength(2);
    expect(done.attemptsMade).toBe(2);
    expect(await listDeadLetters(deps)).toEqual([]);
  });

  it('refuses a bad payload at the door, naming the field', async () => {
    const probe = probeJob('sync-tickets');
    const { deps } = await start(registryOf([probe.definition]));
    await expect(enqueueJob(deps, { name: 'sync-tickets', data: { n: 'x' } })).rejects.toThrow(/data\.n: /);
    await expect(enqueueJob(deps, { name: 'sync-tickets', data: { n: 1 }, tenant: 'nope' })).rejects.toBeInstanceOf(InputError);
    await expect(enqueueJob(deps, { name: 'build-invoices' })).rejects.toMatchObject({ code: 'JOB_UNKNOWN' });
  });

  it('fails a payload that breaks its schema at once (one attempt) and dead-letters it', async () => {
    const probe = probeJob('sync-tickets');
    const { runtime, deps } = await start(registryOf([probe.definition]));
    // A payload that bypassed the door (an old format still queued, a hand-added job).
    const added = await runtime.queues.jobs.add('sync-tickets', { tenant: 'default', data: { n: 'not a number' } }, { attempts: 3, backoff: 100 });
    const failed = await waitFor(async () => { const s = await stateOf(runtime, added.id!); return s?.state === 'failed' ? s.job : undefined; }, 'failure');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/^INPUT_INVALID: sync-tickets data\.n: /);
    expect(probe.calls).toHaveLength(0);
    const letters = await waitFor(async () => { const l = await listDeadLetters(deps); return l.length ? l : undefined; }, 'dead letter');
    expect(letters).toEqual([expect.objectContaining({ name: 'sync-tickets', tenant: 'default', data: { n: 'not a number' },
      originalJobId: added.id, attemptsMade: 1, failedReason: expect.stringContaining('data.n') })]);
  });

  it('moves a job out of budget to delayed without spending an attempt, then completes it', async () => {
    const probe = probeJob('sync-billing-items', (attempt) => {
      // Far in the future, so the test sees the delayed state; it promotes the job itself.
      if (attempt === 1) throw new BudgetExhaustedError(new Date(Date.now() + 3_600_000), 5000, 5000);
    });
    const { runtime, deps } = await start(registryOf([probe.definition]));
    const { jobId } = await enqueueJob(deps, { name: 'sync-billing-items' });
    const delayed = await waitFor(async () => { const s = await stateOf(runtime, jobId); return s?.state === 'delayed' ? s.job : undefined; }, 'delayed');
    expect(delayed.attemptsMade).toBe(0);
    expect(delayed.delay).toBeGreaterThan(3_000_000);
    // While it waits for budget, triggering it again is de-duplicated onto it.
    expect((await enqueueJob(deps, { name: 'sync-billing-items' })).jobId).toBe(jobId);
    await delayed.promote();
    const done = await waitFor(async () => { const s = await stateOf(runtime, jobId); return s?.state === 'completed' ? s.job : undefined; }, 'completion');
    expect(done.attemptsMade).toBe(1);
    expect(probe.calls).toHaveLength(2);
  });

  it('dead-letters a job that used up its attempts; requeueing it runs it again', async () => {
    let broken = true;
    const probe = probeJob('detect-problems', () => {
      if (broken) throw new AppError('AUTOTASK_TRANSIENT', 'still down', { retryable: true });
    });
    const { runtime, deps } = await start(registryOf([probe.definition]));
    const { jobId } = await enqueueJob(deps, { name: 'detect-problems', data: { label: 'x' } });
    const failed = await waitFor(async () => { const s = await stateOf(runtime, jobId); return s?.state === 'failed' ? s.job : undefined; }, 'failure');
    expect(failed.attemptsMade).toBe(3);
    const [letter] = await waitFor(async () => { const l = await listDeadLetters(deps); return l.length ? l : undefined; }, 'dead letter');
    expect(letter).toMatchObject({ name: 'detect-problems', data: { label: 'x' }, attemptsMade: 3, failedReason: 'AUTOTASK_TRANSIENT: still down' });
    broken = false;
    const requeued = await requeueDeadLetter(deps, letter!.id);
    expect(requeued.jobId).not.toBe(jobId);
    await waitFor(async () => (await stateOf(runtime, requeued.jobId))?.state === 'completed', 'requeued completion');
    expect(await listDeadLetters(deps)).toEqual([]);
    await expect(requeueDeadLetter(deps, letter!.id)).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });
  });

  it('returns the existing job id for the same job, tenant and data while it waits or runs', async () => {
    const gate = deferred();
    const probe = probeJob('sync-tickets', () => gate.promise);
    const { runtime, deps } = await start(registryOf([probe.definition]));
    const first = await enqueueJob(deps, { name: 'sync-tickets', data: { n: 1, label: 'a' } });
    await waitFor(async () => (await stateOf(runtime, first.jobId))?.state === 'active', 'active');
    // Same data in another key order: same job.
    const again = await enqueueJob(deps, { name: 'sync-tickets', data: { label: 'a', n: 1 } });
    expect(again).toEqual({ jobId: first.jobId, tenant: 'default', deduplicated: true });
    const other = await enqueueJob(deps, { name: 'sync-tickets', data: { n: 2 } });
    expect(other.jobId).not.toBe(first.jobId);
    gate.resolve();
    await waitFor(async () => (await stateOf(runtime, first.jobId))?.state === 'completed', 'completion');
    // Once finished, the same trigger is a new job.
    const later = await enqueueJob(deps, { name: 'sync-tickets', data: { n: 1, label: 'a' } });
    expect(later.jobId).not.toBe(first.jobId);
    expect(later.deduplicated).toBe(false);
  });
});
