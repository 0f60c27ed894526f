/**
 * Issue 10 "Faults": a tenant near its hourly threshold. Other integrations have used 1,990 of the tenant's
 * 4,000 requests this hour; with autotask.budgetFraction 0.5 this deployment keeps the tenant under 2,000, so
 * it may send about ten. As the product really behaves (src/autotask/governor*.ts, src/runtime/processor.ts):
 * the first request reads ThresholdInformation, the budget runs out, and each job that needs a request moves to
 * *delayed* until its retryAt — no attempt spent, nothing sent past the ceiling, no 429. A job that comes back
 * before budget frees (at the next ThresholdInformation read, autotask.thresholdRefreshMs) reads the tenant's
 * count again and waits again. When the others' requests have aged out of the tenant's hour (the sandbox's
 * count drops), the next read shows it and the jobs finish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { Deployment } from './support/deployment.js';
import { poll, timeEntries } from './support/scenario.js';

const LIMIT = 4_000;
const OTHERS = 1_990;
const CEILING = 2_000; // floor(0.5 × 4,000)
const REFRESH_MS = 10_000;
const NOW = new Date();

interface BudgetWait { jobId: string; retryAt: number; loggedAt: number }

describe('a tenant near its hourly threshold', () => {
  let sandbox: SandboxHandle;
  let deployment: Deployment;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: 'demo', now: NOW, threshold: { limit: LIMIT, used: OTHERS } });
    deployment = new Deployment({ label: 'budget', sandbox, file: { autotask: { budgetFraction: 0.5, thresholdRefreshMs: REFRESH_MS } } });
  });

  afterAll(async () => {
    await deployment?.close();
    await sandbox?.close();
  });

  it('jobs wait for budget without spending attempts, never pass the ceiling, and finish once usage drops', async () => {
    const worker = await deployment.startWorker();
    const ids = [await deployment.trigger('sync-all'), await deployment.trigger('push-time-entries', { entries: timeEntries(NOW, 4, 'budget') })];
    const waits = (): BudgetWait[] => worker.logLines(/budget used up/).map((line) => {
      const entry = JSON.parse(line) as { jobId: string; retryAt: string; time: number };
      return { jobId: entry.jobId, retryAt: Date.parse(entry.retryAt), loggedAt: entry.time };
    });
    const reads = (): number => sandbox.stats().endpoints.ThresholdInformation?.requests ?? 0;
    const ours = (): number => sandbox.stats().threshold.used - OTHERS;

    // The budget runs out: jobs are delayed until a retryAt in the future, with no attempt spent.
    const first = await poll(async () => {
      const [wait] = waits();
      if (!wait) return undefined;
      const { state, attemptsMade } = await deployment.jobState(wait.jobId);
      return state === 'delayed' ? { wait, attemptsMade } : undefined;
    }, 60_000, 'a job delayed for budget');
    expect(first.wait.retryAt).toBeGreaterThan(first.wait.loggedAt);
    // It comes back at the next ThresholdInformation read, not an hour later (the others' share may have aged out).
    expect(first.wait.retryAt - first.wait.loggedAt).toBeLessThanOrEqual(REFRESH_MS + 1_000);
    expect(first.attemptsMade).toBe(0);
    const sentAtCeiling = sandbox.stats().threshold.used;
    expect(sentAtCeiling - reads(), 'requests other than the exempt ThresholdInformation reads').toBeLessThanOrEqual(CEILING);

    // Budget has not freed when the job comes back: it reads the tenant's count again and waits again.
    const again = await poll(async () => {
      const later = waits().find((w) => w.jobId === first.wait.jobId && w.loggedAt > first.wait.loggedAt);
      if (!later) return undefined;
      const { state, attemptsMade } = await deployment.jobState(later.jobId);
      return state === 'delayed' ? { later, attemptsMade } : undefined;
    }, REFRESH_MS + 20_000, 'the job to wait a second time');
    expect(again.attemptsMade, 'waiting spends no attempt').toBe(0);
    expect(reads(), 'it looked at ThresholdInformation again').toBeGreaterThanOrEqual(2);
    expect(sandbox.stats().threshold.used - reads()).toBeLessThanOrEqual(CEILING);
    expect(await deployment.jobs().getJobCounts('failed')).toEqual({ failed: 0 });

    // The other integrations' requests leave the tenant's rolling hour: the count is only ours now.
    const before = ours();
    sandbox.setLimits({ threshold: { used: before } });
    for (const id of ids) {
      const state = await poll(async () => {
        const { state: s } = await deployment.jobState(id);
        return s === 'completed' || s === 'failed' ? s : undefined;
      }, 60_000, `job ${id}`);
      expect(state, `job ${id}`).toBe('completed');
    }

    const stats = sandbox.stats();
    console.info(`budget: ${waits().length} budget waits over ${new Set(waits().map((w) => w.jobId)).size} jobs; ` +
      `tenant at ${sentAtCeiling} of ${LIMIT} while waiting (ceiling ${CEILING}); ${reads()} ThresholdInformation reads; ` +
      `${stats.totalRequests} requests in all`);
    expect(stats.status429).toBe(0);
    for (const [endpoint, e] of Object.entries(stats.endpoints)) expect(e.thresholdLimited + e.threadLimited, endpoint).toBe(0);
    expect(stats.threshold.used).toBeLessThanOrEqual(CEILING);
    expect(sandbox.data.all('BillingItems').filter((b) => b.webServiceDate !== null && b.invoiceID === null).length)
      .toBe(DEMO_FACTS.openBillingItemCount + DEMO_FACTS.markedBillingItemIds.length);
  }, 150_000);
});
