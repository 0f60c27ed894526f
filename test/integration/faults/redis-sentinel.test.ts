/**
 * Issue 17: the product on a Sentinel-watched Redis (a master, one replica and one sentinel started by this test),
 * configured only through REDIS_SENTINELS and REDIS_SENTINEL_NAME. The master is SIGKILLed while build-invoices
 * is marking billing items (the kill comes from the sandbox applying the 10th mark, not from a timer). The
 * sentinel promotes the replica; the worker process must follow it by itself, finish the work and write nothing
 * twice in the tenant. Replication is asynchronous, so the newest writes of the dead master may be missing on the
 * new one: the exactly-once checks fall back on Autotask as after a Redis restart, and a run whose job is gone
 * is triggered again, as its schedule would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, TenantStore, type SandboxHandle } from '../../../src/sandbox/index.js';
import { Deployment } from './support/deployment.js';
import { missingRedisBinaries, SentinelServers } from './support/redis-topologies.js';
import { cleanRun, poll, smallerDemoTenant, timeEntries, type CleanRun } from './support/scenario.js';
import { NO_DUPLICATES, tenantDuplicates, tenantState } from './support/tenant-state.js';

const NOW = new Date();
const KEEP_EVERY = 3;
const tenant = () => ({ scenario: smallerDemoTenant(NOW, KEEP_EVERY), now: NOW, seed: 7 });
const ENTRIES = timeEntries(NOW, 5, 'sentinel');
const missing = missingRedisBinaries();
if (missing) console.warn(`SKIPPED: ${missing}`);

describe.skipIf(missing !== undefined)('Redis Sentinel: the master dies mid-run', () => {
  let clean: CleanRun;
  let servers: SentinelServers | undefined;
  let sandbox: SandboxHandle | undefined;
  let deployment: Deployment | undefined;

  beforeAll(async () => {
    clean = await cleanRun(tenant(), ENTRIES);
    servers = await SentinelServers.start();
    sandbox = await startSandbox({ ...tenant(), port: 0, latencyMs: 10, latencyJitterMs: 10 });
    deployment = new Deployment({ label: 'sentinel', sandbox, redis: servers });
  }, 120_000);

  afterAll(async () => {
    await deployment?.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
    await servers?.stop();
  });

  it('follows the failover to the promoted replica and writes nothing twice', async () => {
    const d = deployment!;
    const s = sandbox!;
    const set = servers!;
    const oldMaster = set.master.port;
    let marks = 0;
    let killed: () => void = () => undefined;
    const masterKilled = new Promise<void>((resolve) => { killed = resolve; });
    const update = s.data.update.bind(s.data);
    s.data.update = (entity, id, patch) => {
      const made = update(entity, id, patch);
      if (entity === 'BillingItems' && ++marks === 10) { set.master.killNow(); killed(); }
      return made;
    };

    const worker = await d.startWorker();
    await d.startStalledCheck();
    const jobs: Array<[string, Record<string, unknown>]> = [['sync-all', {}], ['push-time-entries', { entries: ENTRIES }]];
    const ids = new Map<string, string>();
    for (const [job, data] of jobs) ids.set(job, await d.trigger(job, data));

    await masterKilled;
    const promoted = await poll(async () => {
      const port = await set.currentMasterPort();
      return port !== undefined && port !== oldMaster ? port : undefined;
    }, 60_000, 'the sentinel to promote the replica');
    expect(promoted).toBe(set.replica.port);

    // Each run completes; one whose job the failover lost (it never reached the replica) is triggered again.
    for (const [job, data] of jobs) {
      let id = ids.get(job)!;
      let final = await poll(async () => {
        const { state } = await d.jobState(id).catch(() => ({ state: 'unreachable' }));
        return state === 'completed' || state === 'failed' || state === 'missing' ? state : undefined;
      }, 120_000, `${job} (${id})`);
      if (final !== 'completed') {
        id = await d.trigger(job, data);
        final = await poll(async () => {
          const { state, failedReason } = await d.jobState(id).catch(() => ({ state: 'unreachable', failedReason: undefined }));
          if (state === 'failed') return `failed: ${failedReason}`;
          return state === 'completed' ? state : undefined;
        }, 120_000, `${job} triggered again (${id})`);
      }
      expect(final, job).toBe('completed');
    }

    expect(worker.running, 'the worker process stayed up').toBe(true);
    expect(worker.logLines(/redis master switched|ECONNREFUSED|Connection is closed|connect/i).length, 'it saw the master go').toBeGreaterThan(0);
    expect(tenantDuplicates(s, new TenantStore(smallerDemoTenant(NOW, KEEP_EVERY)))).toEqual(NO_DUPLICATES);
    const state = tenantState(s, d.invoiceDir);
    expect(state.problems).toEqual(clean.state.problems);
    expect(state.links).toEqual(clean.state.links);
    expect(state.timeEntries).toEqual(clean.state.timeEntries);
    expect(state.markedBillingItems).toEqual(clean.state.markedBillingItems);
    console.info(`redis sentinel: master ${oldMaster} killed at mark 10, replica ${promoted} promoted; ` +
      `billing-item PATCHes ${s.stats().writes.BillingItems?.PATCH ?? 0} (clean run ${clean.writes.BillingItems?.PATCH ?? 0})`);
  }, 300_000);
});
