/**
 * Issue 10 "Faults", chaos run: the whole pipeline (sync-all, plus a batch of time entries) against a tenant
 * that fails 10% of requests transiently and loses 10% of write answers, while the worker process is SIGKILLed
 * again and again and restarted; then left to finish. The tenant must end exactly as after a clean run: no
 * duplicate Problem, time entry, invoice delivery or webServiceDate mark, nothing missing.
 *
 * Most kills land at the moments a crash hurts most, told by the sandbox's write events: the instant a
 * time entry or a Problem is created, a billing item is marked or an incident linked (the write is made, the
 * worker dies before it hears the answer), and while an invoice delivery is in flight. The others land at random
 * points counted in requests the tenant answered (a seeded count), never in wall-clock time, so a slow or
 * loaded machine changes when a kill happens but not where in the work it lands.
 * The sandbox runs in this process (its state is what is judged); only the workers are child processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, TenantStore, type SandboxHandle, type SandboxWriteEvent } from '../../../src/sandbox/index.js';
import { Deployment } from './support/deployment.js';
import { InvoiceReceiver } from './support/invoice-receiver.js';
import { cleanRun, INVOICE_SECRET, poll, seededRandom, smallerDemoTenant, timeEntries, type CleanRun } from './support/scenario.js';
import { NO_DUPLICATES, tenantDuplicates, tenantState } from './support/tenant-state.js';
import type { WorkerProcess } from './support/worker-process.js';

const SEED = 1010;
const KILLS = 12;
const NOW = new Date();
const tenant = () => ({ scenario: smallerDemoTenant(NOW, 4), now: NOW, seed: SEED });
const ENTRIES = timeEntries(NOW, 6, 'chaos');

type Moment = 'time-entry-created' | 'problem-created' | 'item-marked' | 'incident-linked' | 'invoice-in-flight';

function momentOf({ entity, action, record }: SandboxWriteEvent): Moment | null {
  if (entity === 'TimeEntries' && action === 'Create') return 'time-entry-created';
  if (entity === 'Tickets' && action === 'Create' && record.ticketType === 3) return 'problem-created';
  if (entity === 'BillingItems' && action === 'Update') return 'item-marked';
  if (entity === 'Tickets' && action === 'Update' && record.problemTicketId !== null && record.problemTicketId !== undefined) return 'incident-linked';
  return null;
}

describe('chaos: faults, lost answers and SIGKILLed workers', () => {
  let clean: CleanRun;
  let sandbox: SandboxHandle;
  let receiver: InvoiceReceiver;
  let deployment: Deployment;

  beforeAll(async () => {
    clean = await cleanRun(tenant(), ENTRIES);
    sandbox = await startSandbox({ ...tenant(), port: 0, faultRate: 0.1, lostResponseRate: 0.1, latencyMs: 2, latencyJitterMs: 8,
      // A "timeout" fault holds the request longer than the client waits (autotask.requestTimeoutMs 1 s).
      timeoutMs: 1_500, requestLogLimit: 500_000 });
    receiver = new InvoiceReceiver();
    await receiver.start();
    // This sandbox settles every request within its 1.5 s hold (a dropped one is never applied later), so its
    // "request lifetime" is that: an unknown create is looked for over 5 s, not Autotask's 6 minutes
    // (docs/unknown-outcomes.md). The exactly-once checks below are unchanged.
    deployment = new Deployment({ label: 'chaos', sandbox, file: { autotask: { requestTimeoutMs: 1_000, slotLeaseMs: 3_000,
      unknownOutcomeWindowMs: 5_000, unknownOutcomeLookMs: 250 } },
      env: { INVOICE_WEBHOOK_URL: receiver.url, INVOICE_WEBHOOK_SECRET: INVOICE_SECRET } });
  }, 60_000);

  afterAll(async () => {
    await deployment?.close();
    await receiver?.close();
    await sandbox?.close();
  });

  it('ends with the tenant of a clean run after ≥ 10 kills', async () => {
    const random = seededRandom(SEED);
    await deployment.startStalledCheck();
    let worker: WorkerProcess = await deployment.startWorker();
    const started = Date.now();
    // The work, kept going through the kills as a schedule would: a run that a kill failed (a job that stalled
    // twice is failed by BullMQ) or that finished is followed by a new trigger, after dead letters are requeued.
    const work: Array<{ job: string; data: Record<string, unknown>; id: string }> = [
      { job: 'sync-all', data: {}, id: '' }, { job: 'push-time-entries', data: { entries: ENTRIES }, id: '' }];
    const keepBusy = async (): Promise<void> => {
      let requeued = false;
      for (const item of work) {
        const state = item.id ? (await deployment.jobState(item.id)).state : 'none';
        if (state !== 'none' && state !== 'completed' && state !== 'failed') continue;
        if (state === 'failed' && !requeued) { await deployment.requeueDeadLetters(); requeued = true; }
        item.id = await deployment.trigger(item.job, item.data);
      }
    };
    /** Waits until `reached()` or until every run of the work has completed (nothing left that could reach it). */
    const untilReachedOrDone = (reached: () => boolean, what: string): Promise<'reached' | 'done'> => poll(async () => {
      if (reached()) return 'reached';
      const states = await Promise.all(work.map(async (item) => (await deployment.jobState(item.id)).state));
      if (states.every((state) => state === 'completed')) return reached() ? 'reached' : 'done';
      if (states.some((state) => state === 'failed')) await keepBusy();
      return undefined;
    }, 120_000, what);

    // Armed moments: the next write of one of these kinds kills the worker before it hears the answer.
    const armed = new Set<Moment>();
    let hit: Moment | null = null;
    const fire = (moment: Moment): void => {
      if (!armed.has(moment) || hit) return;
      worker.signal('SIGKILL');
      hit = moment;
    };
    sandbox.onWrite((event) => { const moment = momentOf(event); if (moment) fire(moment); });
    // An invoice POST is held while the worker is killed, then its connection dropped: delivered, never confirmed.
    receiver.beforeAnswer = () => { fire('invoice-in-flight'); return hit !== 'invoice-in-flight'; };
    let answered = 0;
    sandbox.onRequest(() => { answered += 1; });

    const pending: Moment[] = ['time-entry-created', 'invoice-in-flight', 'item-marked', 'problem-created', 'incident-linked', 'item-marked'];
    const kills: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      await keepBusy();
      let how: string;
      // The first three kills land at moments (so at least three do, whatever the pace), then moments and
      // random points alternate, so the random ones fall inside the work rather than after it.
      if (pending.length > 0 && (k < 3 || k % 2 === 1)) {
        hit = null;
        for (const moment of pending) armed.add(moment);
        const outcome = await untilReachedOrDone(() => hit !== null, `a write or delivery of ${pending.join(', ')}`);
        armed.clear();
        const moment: Moment | null = hit;
        if (moment) pending.splice(pending.indexOf(moment), 1);
        else pending.length = 0; // the work is done without reaching these: the rest of the kills are random
        how = moment ?? outcome;
      } else {
        const after = 5 + Math.floor(random() * 60);
        const from = answered;
        const outcome = await untilReachedOrDone(() => answered - from >= after, `${after} more requests`);
        how = outcome === 'reached' ? `after ${after} requests` : 'after the work was done';
      }
      await worker.kill('SIGKILL');
      kills.push(how);
      worker = await deployment.startWorker();
    }
    receiver.beforeAnswer = () => true;
    const killPhaseMs = Date.now() - started;

    // Left to finish: until the last sync-all and time-entry runs both complete (re-triggered after a failure,
    // with the dead letters requeued), then the remaining dead letters requeued and run.
    for (let round = 0; ; round++) {
      expect(round, 'rounds to finish').toBeLessThan(4);
      const states: string[] = [];
      for (const item of work) states.push(await waitSettled(deployment, item.id));
      if (states.every((state) => state === 'completed')) break;
      await keepBusy();
    }
    for (const id of await deployment.requeueDeadLetters()) expect(await waitSettled(deployment, id)).toBe('completed');

    const stats = sandbox.stats();
    console.info(`chaos: kill phase ${killPhaseMs} ms, finish ${Date.now() - started - killPhaseMs} ms; ${kills.length} kills ` +
      `(${kills.join(', ')}); ${stats.totalRequests} requests, faults ${JSON.stringify(stats.faults)}, ` +
      `writes ${JSON.stringify(stats.writes)}; invoice POSTs ${receiver.deliveries.length} for ${receiver.countsByKey().size} keys`);
    expect(kills.length).toBeGreaterThanOrEqual(10);
    expect(kills.filter((how) => !how.startsWith('after') && how !== 'done').length, 'kills at a write or delivery').toBeGreaterThanOrEqual(3);
    expect(stats.faults.lostResponse).toBeGreaterThan(0);
    expect(stats.faults.error500 + stats.faults.reset + stats.faults.timeout).toBeGreaterThan(0);

    // Nothing twice…
    expect(tenantDuplicates(sandbox, new TenantStore(smallerDemoTenant(NOW, 4)))).toEqual(NO_DUPLICATES);
    expect(receiver.keysWithDifferentBodies()).toEqual([]);
    // …and nothing missing or different: the tenant and the delivered documents are the clean run's.
    const state = tenantState(sandbox, deployment.invoiceDir);
    expect(state.problems).toEqual(clean.state.problems);
    expect(state.links).toEqual(clean.state.links);
    expect(state.timeEntries).toEqual(clean.state.timeEntries);
    expect(state.markedBillingItems).toEqual(clean.state.markedBillingItems);
    expect(state.contractPurchaseOrders).toEqual(clean.state.contractPurchaseOrders);
    expect(Object.keys(state.invoiceFiles)).toEqual(Object.keys(clean.state.invoiceFiles));
    expect(state.invoiceFiles).toEqual(clean.state.invoiceFiles);
    expect([...receiver.countsByKey().keys()].sort()).toEqual(clean.deliveredKeys);
    // One applied mark per item, plus a PATCH re-sent after its answer was lost (the same value again).
    const lostMarks = sandbox.requestLog.filter((e) => e.method === 'PATCH' && e.entity === 'BillingItems' && e.outcome === 'lost').length;
    const marks = stats.writes.BillingItems?.PATCH ?? 0;
    expect(marks).toBeGreaterThanOrEqual(clean.writes.BillingItems?.PATCH ?? 0);
    expect(marks).toBeLessThanOrEqual((clean.writes.BillingItems?.PATCH ?? 0) + lostMarks);
  }, 300_000);
});

async function waitSettled(deployment: Deployment, id: string, timeoutMs = 120_000): Promise<string> {
  return poll(async () => {
    const { state } = await deployment.jobState(id);
    return state === 'completed' || state === 'failed' || state === 'missing' ? state : undefined;
  }, timeoutMs, `job ${id} to settle`);
}
