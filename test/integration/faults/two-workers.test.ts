/**
 * Issue 10 "Faults": two worker processes on one Redis against one tenant (with latency). The limits are the
 * tenant's, not a process's: the sandbox must never see more than 3 requests in flight per endpoint (no 429),
 * and the hourly ceiling (autotask.budgetFraction × the tenant's threshold) must hold across both processes —
 * so the run is given more work than the ceiling allows: both workers stop at it, and finish once the tenant's
 * threshold is raised and a ThresholdInformation read tells them so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { Deployment } from './support/deployment.js';
import { poll, timeEntries } from './support/scenario.js';
import type { WorkerProcess } from './support/worker-process.js';

const LIMIT = 800;
const FRACTION = 0.5;
const CEILING = Math.floor(LIMIT * FRACTION);
const NOW = new Date();

describe('two worker processes, one Redis, one tenant', () => {
  let sandbox: SandboxHandle;
  let deployment: Deployment;

  beforeAll(async () => {
    // Slow answers at first, so the two processes' requests overlap until an endpoint has 3 in flight whatever
    // the machine's pace (then the usual latency, below): the bound is reached by construction, not by luck.
    sandbox = await startSandbox({ port: 0, scenario: 'demo', now: NOW, latencyMs: 1_000, threshold: { limit: LIMIT } });
    deployment = new Deployment({ label: 'two', sandbox, file: {
      autotask: { budgetFraction: FRACTION, thresholdRefreshMs: 10_000 },
      // Partitions read concurrently: each process alone would use all 3 slots of an endpoint.
      pull: { partitions: 3 },
    } });
  });

  afterAll(async () => {
    await deployment?.close();
    await sandbox?.close();
  });

  it('keeps ≤ 3 requests per endpoint in flight, no 429, and the ceiling across both processes', async () => {
    const workers: WorkerProcess[] = [await deployment.startWorker('worker-a'), await deployment.startWorker('worker-b')];
    const ids = [
      await deployment.trigger('sync-all'),
      await deployment.trigger('sync-tickets', { full: true }),
      await deployment.trigger('sync-billing-items', { full: true }),
      await deployment.trigger('sync-contracts', { full: true }),
      await deployment.trigger('push-time-entries', { entries: timeEntries(NOW, 8, 'two') }),
    ];
    const queue = deployment.jobs();
    const mostInFlight = (): number => Math.max(0, ...Object.values(sandbox.stats().endpoints).map((e) => e.maxConcurrency));
    await poll(async () => (mostInFlight() >= 3 ? true : undefined), 90_000, 'an endpoint with 3 requests in flight');
    sandbox.setFaults({ latencyMs: 15, latencyJitterMs: 25 });

    // More work than the ceiling allows: both processes stop at it and their jobs wait (delayed) for budget.
    const stalledAt = await poll(async () => {
      const counts = await queue.getJobCounts('active', 'waiting', 'delayed');
      if (counts.active !== 0 || counts.waiting !== 0 || (counts.delayed ?? 0) === 0) return undefined;
      const used = sandbox.stats().threshold.used;
      return used >= CEILING - 5 ? used : undefined;
    }, 90_000, 'both workers to stop at the ceiling');
    const reads = (): number => sandbox.stats().endpoints.ThresholdInformation?.requests ?? 0;
    // Every request but the ThresholdInformation reads (exempt, so a waiting worker can learn that budget freed)
    // stayed within the ceiling; the tenant's own threshold was never reached.
    expect(stalledAt - reads()).toBeLessThanOrEqual(CEILING);
    // While they wait, a worker whose delayed job comes back re-reads ThresholdInformation (its view is stale)
    // before it would send anything: the reads after the stall are the moments a leak would show, so the
    // window is "until the next read", not a fixed time; nothing in it may take the tenant past the ceiling.
    const sentWhileWaiting: string[] = [];
    const stopWatching = sandbox.onRequest((entry) => { if (entry.entity !== 'ThresholdInformation') sentWhileWaiting.push(entry.path); });
    const readsAtStall = reads();
    await poll(async () => (reads() > readsAtStall ? true : undefined), 90_000, 'a waiting worker to re-read ThresholdInformation');
    stopWatching();
    expect(sandbox.stats().threshold.used - reads(), `nothing past the ceiling while waiting (sent: ${sentWhileWaiting.join(', ')})`)
      .toBeLessThanOrEqual(CEILING);

    // The tenant's threshold goes up; the next ThresholdInformation read (thresholdRefreshMs) lets the work finish.
    sandbox.setLimits({ threshold: { limit: 10_000 } });
    for (const id of ids) {
      const state = await poll(async () => {
        const { state: s } = await deployment.jobState(id);
        return s === 'completed' || s === 'failed' ? s : undefined;
      }, 90_000, `job ${id}`);
      expect(state, `job ${id}`).toBe('completed');
    }

    const stats = sandbox.stats();
    const concurrency = Object.fromEntries(Object.entries(stats.endpoints).map(([name, e]) => [name, e.maxConcurrency]));
    console.info(`two workers: stopped at ${stalledAt} of ${LIMIT} (ceiling ${CEILING}); ${stats.totalRequests} requests; ` +
      `max in flight ${JSON.stringify(concurrency)}; ThresholdInformation reads ${reads()}`);
    for (const [endpoint, max] of Object.entries(concurrency)) expect(max, endpoint).toBeLessThanOrEqual(3);
    expect(Math.max(...Object.values(concurrency)), 'the bound was reached, so it was tested').toBe(3);
    expect(stats.status429).toBe(0);
    for (const [endpoint, e] of Object.entries(stats.endpoints)) expect(e.threadLimited + e.thresholdLimited, endpoint).toBe(0);
    // Both processes did part of the work, and all of it got done.
    for (const worker of workers) expect(worker.logLines(/"counts":/).length, worker.name).toBeGreaterThan(0);
    expect(sandbox.data.all('BillingItems').filter((b) => b.webServiceDate !== null && b.invoiceID === null).length)
      .toBe(DEMO_FACTS.openBillingItemCount + DEMO_FACTS.markedBillingItemIds.length);
  }, 240_000);
});
