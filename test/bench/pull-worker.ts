/**
 * The worker side of test/bench/pull.ts, run as a child process so its RSS is the worker's alone (the 100,000-
 * ticket sandbox lives in the parent). Roles:
 *   product — the product's pull jobs through the integration harness (real client, Redis governor, store):
 *             full sync-tickets runs, then contracts and billing items, then an incremental run of each;
 *   peer    — the same tickets through @apigrate/autotask-restapi driven by the documented `id gt` loop,
 *             one request at a time, as a straightforward integration does.
 * Between phases it tells the parent (IPC) so the parent can read and reset the sandbox's counters.
 * Usage (by pull.ts only): node --import tsx test/bench/pull-worker.ts <product|peer> <zoneUrl> <lookbackDays> [fullRuns]
 */
import { createRequire } from 'node:module';
import type { JobDefinition, JobResult } from '../../jobs/define-job.js';
import { syncBillingItemsJob } from '../../jobs/sync-billing-items.js';
import { syncContractsJob } from '../../jobs/sync-contracts.js';
import { syncTicketsJob } from '../../jobs/sync-tickets.js';
import { toAutotaskDateTime } from '../../src/lib/time.js';
import { DEFAULT_CREDENTIALS } from '../../src/sandbox/index.js';
import { startHarness } from '../helpers/harness.js';
import { rssSampler } from './support/report.js';

export interface PhaseMessage {
  type: 'phase';
  name: string;
  data: Record<string, unknown>;
}

const [role, zoneUrl, lookbackArg, runsArg] = process.argv.slice(2);
const lookbackDays = Number(lookbackArg);
const fullRuns = Math.max(1, Number(runsArg ?? 1));
if (!process.send || !zoneUrl || !(lookbackDays > 0) || (role !== 'product' && role !== 'peer')) {
  console.error('pull-worker.ts is started by test/bench/pull.ts');
  process.exit(2);
}

// If the parent dies (a timeout in run-all, Ctrl-C), do not linger waiting for an acknowledgement that never comes.
let finishing = false;
process.on('disconnect', () => { if (!finishing) process.exit(1); });

/** Tells the parent a phase ended and waits until it has read (and reset) the sandbox counters. */
function phase(name: string, data: Record<string, unknown> = {}): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!({ type: 'phase', name, data } satisfies PhaseMessage);
  });
}

async function product(): Promise<void> {
  // The harness's own sandbox is empty and unused: AUTOTASK_ZONE_URL points at the parent's tenant (same default credentials).
  const h = await startHarness({ sandbox: { scenario: 'empty' }, env: { AUTOTASK_ZONE_URL: zoneUrl! },
    file: { pull: { ticketsLookbackDays: lookbackDays } } });
  try {
    const timed = async (job: JobDefinition, label: string, data: Record<string, unknown> = {}): Promise<void> => {
      const baselineRss = process.memoryUsage.rss();
      const sampler = rssSampler(10);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result: JobResult = await h.run(job, data);
      const wallMs = performance.now() - started;
      const { user, system } = process.cpuUsage(cpu);
      const peakRss = sampler.stop();
      await phase(label, { wallMs, cpuMs: (user + system) / 1000, baselineRss, peakRss, summary: result.summary, counts: result.counts, mode: result.mode });
    };
    await phase('start');
    // The first full read fills an empty store; the repeats (`full: true`) overwrite it, as a forced re-read does.
    for (let run = 1; run <= fullRuns; run += 1) await timed(syncTicketsJob, `tickets-full-${run}`, run === 1 ? {} : { full: true });
    await h.run(syncContractsJob);
    await h.run(syncBillingItemsJob);
    await phase('seed');
    await timed(syncContractsJob, 'contracts-incremental');
    await timed(syncBillingItemsJob, 'billing-items-incremental');
    await timed(syncTicketsJob, 'tickets-incremental');
  } finally {
    await h.close();
  }
}

interface PeerClient {
  Tickets: { query(body: Record<string, unknown>): Promise<{ items: Array<{ id: number }> }> };
}

async function peer(): Promise<void> {
  const require = createRequire(import.meta.url);
  const { AutotaskRestApi } = require('@apigrate/autotask-restapi') as {
    AutotaskRestApi: new (user: string, secret: string, code: string, options: { base_url: string }) => PeerClient;
  };
  const api = new AutotaskRestApi(DEFAULT_CREDENTIALS.username, DEFAULT_CREDENTIALS.secret, DEFAULT_CREDENTIALS.integrationCode,
    { base_url: zoneUrl! });
  const since = toAutotaskDateTime(new Date(Date.now() - lookbackDays * 86_400_000));
  await phase('start');
  const baselineRss = process.memoryUsage.rss();
  const sampler = rssSampler(10);
  const started = performance.now();
  // Autotask's documented loop: repeat the query with `id gt <largest id seen>` until a page comes back short.
  const kept: Array<{ id: number }> = [];
  let after = 0;
  let pages = 0;
  for (;;) {
    const page = await api.Tickets.query({ filter: [{ op: 'gte', field: 'lastActivityDate', value: since }, { op: 'gt', field: 'id', value: after }],
      MaxRecords: 500 });
    pages += 1;
    for (const item of page.items) kept.push(item);
    if (page.items.length < 500) break;
    after = page.items[page.items.length - 1]!.id;
  }
  const wallMs = performance.now() - started;
  await phase('peer-full', { wallMs, read: kept.length, pages, baselineRss, peakRss: sampler.stop() });
}

await (role === 'product' ? product() : peer());
finishing = true;
process.disconnect();
