/**
 * Queue throughput (issue 10 "Benchmarks"): jobs per second through a real BullMQ worker on this Redis. A test
 * registry holds one trivial job (it validates its data and returns), so the figure is the runtime's own cost
 * per job: enqueue (validation, de-duplication, add), worker pick-up, context, completion.
 *   1. enqueue N jobs through enqueueJob (what `trigger` and POST /api/jobs do) with no worker running;
 *   2. start the worker (concurrency from config) and time until all N are completed;
 *   3. enqueue and process at once (worker running while jobs arrive).
 * Run: npx tsx test/bench/queue-throughput.ts [jobs=2000]   (REDIS_URL or redis://127.0.0.1:6379; cleans its keys)
 */
import { z } from 'zod';
import { loadConfig } from '../../config/load.js';
import { defineJob, type JobDefinition } from '../../jobs/define-job.js';
import type { JobRegistry } from '../../jobs/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { enqueueJob } from '../../src/runtime/enqueue.js';
import { startRuntime, type Runtime } from '../../src/app/process.js';
import { noHttpClientFactory } from '../integration/runtime/support.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { machine, printFigure } from './support/report.js';

const JOBS = Number(process.argv[2] ?? 2_000);

let completed = 0;
let target = Number.POSITIVE_INFINITY;
let reached: (() => void) | null = null;
const trivial = defineJob({
  name: 'sync-contracts',
  description: 'benchmark job: validates its data and returns',
  // Not a tenant-writing job: those run one at a time per tenant by design.
  writesToTenant: false,
  schema: z.strictObject({ n: z.number().int() }),
  async handler(ctx) {
    completed += 1;
    if (completed >= target) reached?.();
    return { summary: `job ${ctx.data.n}`, counts: { n: ctx.data.n } };
  },
});
const registry: JobRegistry = { jobs: new Map([[trivial.name, trivial as unknown as JobDefinition]]), flows: new Map() };

const prefix = uniquePrefix('bench-queue');
const config = loadConfig({
  env: { AUTOTASK_USERNAME: 'bench@example.com', AUTOTASK_SECRET: 'bench-secret', AUTOTASK_INTEGRATION_CODE: 'BENCHCODE0001', REDIS_URL },
  // Keep every completed job so none is trimmed mid-count; the rest is the shipped default (concurrency included).
  file: { queue: { prefix, keepCompleted: { count: JOBS * 3 } } },
});

async function runtime(worker: boolean): Promise<Runtime> {
  return startRuntime({ config, registry, logger: silentLogger(), clientFactory: noHttpClientFactory().factory, worker,
    schedules: false, http: false, defaultMetrics: false });
}

/** Resolves once `count` handlers ran and BullMQ has recorded every one of them as completed. */
async function allCompleted(rt: Runtime, count: number): Promise<void> {
  target = count;
  if (completed < count) await new Promise<void>((resolve) => { reached = resolve; });
  while ((await rt.queues.jobs.getJobCounts('completed')).completed! < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function enqueueAll(rt: Runtime, from: number): Promise<number> {
  const started = performance.now();
  const deps = { config, queues: rt.queues, registry, tenants: rt.services.tenants };
  // A few adds in flight at once, as several HTTP requests or triggers would be.
  const lanes = 8;
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let i = lane; i < JOBS; i += lanes) await enqueueJob(deps, { name: trivial.name, data: { n: from + i } });
  }));
  return performance.now() - started;
}

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));
console.log(`machine: ${machine()}`);
console.log(`queue throughput: ${JOBS} trivial jobs, worker concurrency ${config.queue.concurrency} (config default), Redis ${REDIS_URL}`);
const producer = await runtime(false);
let consumer: Runtime | undefined;
try {
  const enqueueMs = await enqueueAll(producer, 0);
  console.log(`  enqueue ${JOBS} (8 at a time, no worker): ${enqueueMs.toFixed(0)} ms = ${rate(JOBS, enqueueMs)} jobs/s`);

  const started = performance.now();
  consumer = await runtime(true);
  await allCompleted(consumer, JOBS);
  const drainMs = performance.now() - started;
  console.log(`  worker drains the ${JOBS} queued jobs: ${drainMs.toFixed(0)} ms = ${rate(JOBS, drainMs)} jobs/s (incl. worker start)`);

  const bothStarted = performance.now();
  const done = allCompleted(consumer, 2 * JOBS);
  await enqueueAll(producer, JOBS);
  await done;
  const bothMs = performance.now() - bothStarted;
  console.log(`  enqueue and process ${JOBS} at once: ${bothMs.toFixed(0)} ms = ${rate(JOBS, bothMs)} jobs/s end to end`);
  const counts = await producer.queues.jobs.getJobCounts('completed', 'failed', 'waiting', 'active');
  console.log(`  queue afterwards: ${JSON.stringify(counts)}`);

  printFigure({ figure: 'queue: enqueue rate (8 concurrent adds)', measured: `${rate(JOBS, enqueueMs)} jobs/s`, target: 'reference', met: null });
  printFigure({ figure: `queue: worker throughput (concurrency ${config.queue.concurrency})`, measured: `${rate(JOBS, drainMs)} jobs/s`,
    target: 'reference (jobs are API-bound: ≥ 100/s is ample)', met: rate(JOBS, drainMs) >= 100 });
  printFigure({ figure: 'queue: enqueue + process end to end', measured: `${rate(JOBS, bothMs)} jobs/s`, target: 'reference', met: null });
} finally {
  await consumer?.close();
  await producer.close();
  const redis = connectRedis();
  await cleanPrefix(redis, prefix);
  await redis.quit();
}
