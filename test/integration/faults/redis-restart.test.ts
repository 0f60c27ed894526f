/**
 * Issue 10 "Faults": Redis restarted in the middle of a run. The worker talks to a redis-server of this test's
 * own (never the shared 6379), which is SIGKILLed at the 10th billing-item mark (a sandbox write event) and
 * started again once the worker has logged that it lost the connection (an outage it has seen, not a guessed delay); the worker process is not touched and must carry on by itself.
 *  - With its data (an append-only file fsynced on every write, as the compose file runs Redis): the same jobs
 *    finish and the tenant ends as after a clean run.
 *  - Without (a Redis that loses everything): the queue, the store and the ledgers are gone, so the run is
 *    triggered again (as the schedule would); the exactly-once checks fall back on Autotask — a time entry is
 *    looked up before it is created, a Problem by its group key, an item's webServiceDate read before marking —
 *    and nothing is made twice in the tenant.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, TenantStore, type SandboxHandle } from '../../../src/sandbox/index.js';
import { Deployment } from './support/deployment.js';
import { InvoiceReceiver } from './support/invoice-receiver.js';
import { RedisServer } from './support/redis-server.js';
import { cleanRun, INVOICE_SECRET, poll, smallerDemoTenant, timeEntries, type CleanRun } from './support/scenario.js';
import type { WorkerProcess } from './support/worker-process.js';
import { NO_DUPLICATES, tenantDuplicates, tenantState } from './support/tenant-state.js';

const NOW = new Date();
const KEEP_EVERY = 3;
const tenant = () => ({ scenario: smallerDemoTenant(NOW, KEEP_EVERY), now: NOW, seed: 3 });
const ENTRIES = timeEntries(NOW, 5, 'redis');
/** What the worker logs when its Redis connection goes away. */
const LOST_REDIS = /ECONNREFUSED|Connection is closed|connect/i;

describe('Redis restarted in the middle of a run', () => {
  let clean: CleanRun;
  const open: Array<{ close(): Promise<void> | void }> = [];

  beforeAll(async () => { clean = await cleanRun(tenant(), ENTRIES); }, 60_000);
  afterEach(async () => {
    for (const item of open.splice(0).reverse()) await item.close();
  });

  /** A sandbox (latency, so the run lasts a few seconds) whose 10th billing-item mark kills `redis`. */
  async function setUp(persistent: boolean): Promise<{ sandbox: SandboxHandle; redis: RedisServer; deployment: Deployment;
    receiver: InvoiceReceiver; restartAfterOutage: (worker: WorkerProcess) => Promise<void> }> {
    const redis = await RedisServer.start(persistent);
    open.push({ close: () => redis.stop() });
    const sandbox = await startSandbox({ ...tenant(), port: 0, latencyMs: 10, latencyJitterMs: 10 });
    open.push(sandbox);
    const receiver = new InvoiceReceiver();
    await receiver.start();
    open.push(receiver);
    const deployment = new Deployment({ label: persistent ? 'redis-aof' : 'redis-lost', sandbox, redisUrl: redis.url,
      env: { INVOICE_WEBHOOK_URL: receiver.url, INVOICE_WEBHOOK_SECRET: INVOICE_SECRET } });
    open.push(deployment);
    let marks = 0;
    let signal: () => void = () => undefined;
    const killed = new Promise<void>((resolve) => { signal = resolve; });
    sandbox.onWrite(({ entity, action }) => {
      if (entity === 'BillingItems' && action === 'Update' && ++marks === 10) { redis.killNow(); signal(); }
    });
    const restartAfterOutage = async (worker: WorkerProcess): Promise<void> => {
      await killed;
      await poll(async () => (worker.logLines(LOST_REDIS).length > 0 ? true : undefined), 60_000, 'the worker to see Redis go away');
      await redis.restart();
    };
    return { sandbox, redis, deployment, receiver, restartAfterOutage };
  }

  async function settle(deployment: Deployment, id: string): Promise<string> {
    return poll(async () => {
      const { state } = await deployment.jobState(id).catch(() => ({ state: 'unreachable' }));
      return state === 'completed' || state === 'failed' || state === 'missing' ? state : undefined;
    }, 90_000, `job ${id} to settle`);
  }

  it('with its data: the same run finishes by itself, as a clean run', async () => {
    const { sandbox, deployment, receiver, restartAfterOutage } = await setUp(true);
    const worker = await deployment.startWorker();
    const ids = [await deployment.trigger('sync-all'), await deployment.trigger('push-time-entries', { entries: ENTRIES })];
    await restartAfterOutage(worker);
    for (const id of ids) expect(await settle(deployment, id), `job ${id}`).toBe('completed');

    expect(worker.running, 'the worker process stayed up').toBe(true);
    expect(worker.logLines(LOST_REDIS).length, 'it saw Redis go away').toBeGreaterThan(0);
    expect(tenantDuplicates(sandbox, new TenantStore(smallerDemoTenant(NOW, KEEP_EVERY)))).toEqual(NO_DUPLICATES);
    const state = tenantState(sandbox, deployment.invoiceDir);
    expect(state).toEqual(clean.state);
    expect([...receiver.countsByKey().keys()].sort()).toEqual(clean.deliveredKeys);
    expect(sandbox.stats().writes.BillingItems?.PATCH).toBe(clean.writes.BillingItems?.PATCH);
  }, 150_000);

  it('without its data: the worker reconnects, the run triggered again completes, nothing is made twice', async () => {
    const { sandbox, deployment, receiver, restartAfterOutage } = await setUp(false);
    const worker = await deployment.startWorker();
    await deployment.trigger('sync-all');
    await deployment.trigger('push-time-entries', { entries: ENTRIES });
    await restartAfterOutage(worker);
    // The queue went with the data: the run is triggered again, as its schedule would do. The tenant's confirmation
    // went too, so it is back in first-run mode (dry runs) until a person confirms again; the operator does.
    await deployment.confirm();
    const ids = [await deployment.trigger('sync-all'), await deployment.trigger('push-time-entries', { entries: ENTRIES })];
    for (const id of ids) expect(await settle(deployment, id), `job ${id}`).toBe('completed');

    expect(worker.running, 'the worker process stayed up').toBe(true);
    expect(tenantDuplicates(sandbox, new TenantStore(smallerDemoTenant(NOW, KEEP_EVERY)))).toEqual(NO_DUPLICATES);
    const state = tenantState(sandbox, deployment.invoiceDir);
    expect(state.problems).toEqual(clean.state.problems);
    expect(state.links).toEqual(clean.state.links);
    expect(state.timeEntries).toEqual(clean.state.timeEntries);
    expect(state.markedBillingItems).toEqual(clean.state.markedBillingItems);
    const lostMarks = sandbox.requestLog.filter((e) => e.method === 'PATCH' && e.entity === 'BillingItems' && e.outcome === 'lost').length;
    expect(sandbox.stats().writes.BillingItems?.PATCH).toBe((clean.writes.BillingItems?.PATCH ?? 0) + lostMarks);
    // What Redis alone knew is gone: which items had been delivered but not yet marked. Those go out again on a
    // new document (the README asks for a persistent Redis for this reason); each key still carries one document.
    expect(receiver.keysWithDifferentBodies()).toEqual([]);
    console.info(`redis lost: invoice POSTs ${receiver.deliveries.length} for ${receiver.countsByKey().size} keys ` +
      `(clean run: ${clean.deliveredKeys.length}); files ${Object.keys(state.invoiceFiles).length}`);
  }, 150_000);
});
