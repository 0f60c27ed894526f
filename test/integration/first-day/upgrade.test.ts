/**
 * Upgrading to the version with first-run mode must not silently stop a deployment's writes: a tenant that wrote
 * before (its write ledgers hold entries) is confirmed "by upgrade" at the worker's start (or an operator's `run`), with
 * a log line. A new install stays in first-run mode, also after an operator's explicit `run` wrote, before or after the
 * first worker start (docs/first-run.md#upgrading).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jobRegistry } from '../../../jobs/registry.js';
import { createAutotaskServices } from '../../../src/app/client-factory.js';
import { startRuntime, type Runtime } from '../../../src/app/process.js';
import { runCommand } from '../../../src/cli/run.js';
import { runFlowInProcess } from '../../../src/runtime/flows.js';
import { createLogger } from '../../../src/lib/logger.js';
import { UPGRADE_CONFIRMED_BY } from '../../../src/store/first-run.js';
import { sandboxEnv } from '../../helpers/harness.js';
import { startProduct, type Product } from '../../helpers/product.js';
import { REDIS_URL } from '../../helpers/redis.js';

let product: Product | undefined;
let restarted: Runtime | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await product?.close();
  product = undefined;
});

/** `run sync-all` as an operator types it: writes, whatever the first-run state. */
async function runSyncAll(p: Product): Promise<void> {
  let err = '';
  const code = await runCommand(['sync-all'], { stdout: { write: () => true }, stderr: { write: (s: string) => { err += s; } },
    loadOptions: { env: { ...sandboxEnv(p.sandbox), REDIS_URL, LOG_LEVEL: 'silent' }, file: { queue: { prefix: p.config.queue.prefix } } } });
  expect(code, err).toBe(0);
}

/**
 * What an earlier version (without first-run mode) did: the whole pipeline, writing, and nothing recorded about
 * first-run mode — this version's own `run` now notes the tenant as seen before it writes.
 */
async function writeAsAnEarlierVersion(p: Product): Promise<void> {
  const plan = jobRegistry.flows.get('sync-all')!;
  const result = await runFlowInProcess('sync-all', jobRegistry.jobs.get('sync-all')!, plan, { tenant: 'default', data: {} }, jobRegistry,
    p.runtime.services, { dryRun: false, signal: new AbortController().signal, jobId: 'earlier-version', progress: async () => undefined });
  expect(result.counts.stages).toBeGreaterThan(0);
}

/** Another worker start on the same deployment (same Redis prefix), its log kept. */
async function startWorkerAgain(p: Product): Promise<{ runtime: Runtime; log: () => Array<{ msg: string; tenant?: string }> }> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => { lines.push(line); } } });
  const autotask = createAutotaskServices(p.config, logger);
  const runtime = await startRuntime({ config: p.config, logger, registry: jobRegistry, clientFactory: autotask.factory,
    schedules: false, http: false, beforeRedisClose: [autotask.close], defaultMetrics: false });
  restarted = runtime;
  return { runtime, log: () => lines.map((l) => JSON.parse(l) as { msg: string; tenant?: string }) };
}

describe('first-run mode and an upgraded deployment', () => {
  it('a tenant that wrote before first-run mode existed is confirmed "by upgrade" at the worker\'s start, and keeps writing', async () => {
    // The earlier version: no worker of this version has started yet, and the deployment has written.
    product = await startProduct({ firstRun: 'new', worker: false });
    await writeAsAnEarlierVersion(product);
    expect((await product.runtime.services.tenants.get('default').firstRun.state()).confirmed).toBe(false);

    const { runtime, log } = await startWorkerAgain(product);
    const state = await runtime.services.tenants.get('default').firstRun.state();
    expect(state).toMatchObject({ confirmed: true, confirmedBy: UPGRADE_CONFIRMED_BY });
    expect(log().filter((l) => /confirmed "by upgrade"/.test(l.msg))).toEqual([
      expect.objectContaining({ tenant: 'default', msg: expect.stringMatching(/^first-run mode: tenant default has written before \(\d+ ledger entries\)/) }),
    ]);

    // A queued writing job is no dry run.
    const { jobId } = await runtime.commands.enqueue({ name: 'build-invoices', tenant: 'default', data: {} });
    await expect.poll(async () => (await runtime.queues.jobs.getJob(jobId))?.finishedOn, { timeout: 20_000 }).toBeDefined();
    const job = await runtime.queues.jobs.getJob(jobId);
    expect(job?.failedReason).toBeUndefined();
    expect(job?.returnvalue?.firstRun).toBeUndefined();
  }, 60_000);

  it('an operator\'s run on a brand-new install, before any worker started, does not count as an upgrade', async () => {
    product = await startProduct({ firstRun: 'new', worker: false });
    await runSyncAll(product);
    const { runtime, log } = await startWorkerAgain(product);
    expect((await runtime.services.tenants.get('default').firstRun.state()).confirmed).toBe(false);
    expect(log().some((l) => /by upgrade/.test(l.msg))).toBe(false);
  }, 60_000);

  it('an upgraded deployment whose first start of this version is an operator\'s run is confirmed "by upgrade" by that run', async () => {
    product = await startProduct({ firstRun: 'new', worker: false });
    await writeAsAnEarlierVersion(product);
    await runSyncAll(product);
    expect(await product.runtime.services.tenants.get('default').firstRun.state()).toMatchObject({ confirmed: true, confirmedBy: UPGRADE_CONFIRMED_BY });
  }, 60_000);

  it('a new install stays in first-run mode after an explicit run wrote, across worker starts', async () => {
    // Its first worker start sees an empty tenant: first-run mode from then on.
    product = await startProduct({ firstRun: 'new' });
    await runSyncAll(product);
    const { runtime, log } = await startWorkerAgain(product);
    expect((await runtime.services.tenants.get('default').firstRun.state()).confirmed).toBe(false);
    expect(log().some((l) => /by upgrade/.test(l.msg))).toBe(false);
  }, 60_000);
});
