/**
 * Many tenants, served fairly (issue 17 item 2). 50 small tenants and one with a huge backlog (20,000 tickets and
 * 20,000 open billing items to invoice and mark), each its own Autotask sandbox with its own credentials and
 * hourly threshold — all served by ONE sandbox process (this one: one HTTP server per tenant, so one tenant's
 * thread limit and threshold never touch another's, as on real Autotask) — configured as an operator does: the
 * `tenants` list of the SYNC_CONFIG file naming the environment variables that hold each tenant's credentials.
 * The workers are the real `autotask-sync worker` executable (the fault tests' WorkerProcess), 1 and then 3 of
 * them, on this Redis under a unique queue prefix that is deleted at the end.
 *
 * Per worker count, rounds of sync-all per small tenant, enqueued through the product's enqueue path (what the
 * schedule or `trigger` does), each timed from "enqueued" to its completion event:
 *   warm-up  — all 50 at once (first, full pulls; not reported);
 *   burst    — all 50 at once again: tenant runs per minute (throughput);
 *   alone    — one small tenant every STAGGER_MS, as schedules spread over the hour fire: run time alone;
 *   beside   — the same, while the big tenant's sync-all (enqueued first) works through its backlog.
 * Fairness = p95 beside / p50 alone (target < 2). Bounded: every round has a deadline, the big tenant's run is
 * abandoned (workers SIGKILLed, keys deleted) when the small tenants are done. Loopback only.
 * Run: npx tsx test/bench/many-tenants.ts   (MANY_TENANTS_SMALL=50 MANY_TENANTS_BIG_ITEMS=20000 to change sizes;
 *      MANY_TENANTS_DEBUG=1 prints the active jobs every 300 ms of the `beside` round: who holds the worker slots;
 *      and, after each round, the first three small tenants' stages (enqueued → active → done);
 *      MANY_TENANTS_CAP=<n> sets queue.maxActivePerTenant for the workers; MANY_TENANTS_CONCURRENCY=<n> their queue.concurrency;
 *      MANY_TENANTS_PROFILE=<dir> samples the workers' CPU (support/cpu-profile.mjs) into <dir> and stops them with SIGTERM so the
 *      profile is written: see docs/many-tenants.md for reading the event-loop stalls out of it)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { QueueEvents } from 'bullmq';
import { loadConfig } from '../../config/load.js';
import { jobRegistry } from '../../jobs/registry.js';
import { enqueueJob } from '../../src/runtime/enqueue.js';
import { createQueues, JOBS_QUEUE } from '../../src/runtime/queues.js';
import { createRedis } from '../../src/runtime/redis.js';
import { confirmTenants } from '../helpers/first-run.js';
import { generateTenant, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { deleteDeploymentKeys } from '../../src/store/deployment-keys.js';
import { freePort } from '../integration/faults/support/redis-server.js';
import { WorkerProcess } from '../integration/faults/support/worker-process.js';
import { REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { machine, printFigure, quantile } from './support/report.js';

const SMALL = Number(process.env.MANY_TENANTS_SMALL ?? 50);
const BIG_ITEMS = Number(process.env.MANY_TENANTS_BIG_ITEMS ?? 20_000);
const STAGGER_MS = 250;
/**
 * Every sandbox answers after this. A real Autotask answers in 100–300 ms; 20 ms keeps the bench in minutes and makes
 * the big tenant's pages arrive as fast as a worker can handle them (a CPU-bound worst case).
 * `MANY_TENANTS_LATENCY_MS=100` measures at a real tenant's pace.
 */
const LATENCY_MS = Number(process.env.MANY_TENANTS_LATENCY_MS ?? 20);
const ROUND_DEADLINE_MS = 120_000;
const BIG = 'big';
const PROFILE_DIR = process.env.MANY_TENANTS_PROFILE;
/** queue.maxActivePerTenant for the workers (default: the product's). */
const CAP = process.env.MANY_TENANTS_CAP === undefined ? undefined : Number(process.env.MANY_TENANTS_CAP);
/** queue.concurrency for the workers (default: the product's). */
const CONCURRENCY = process.env.MANY_TENANTS_CONCURRENCY === undefined ? undefined : Number(process.env.MANY_TENANTS_CONCURRENCY);
const PROFILER = pathToFileURL(fileURLToPath(new URL('./support/cpu-profile.mjs', import.meta.url))).href;

interface Tenant { id: string; sandbox: SandboxHandle; envPrefix: string }

async function startTenants(now: Date): Promise<{ tenants: Tenant[]; big: Tenant; fallback: SandboxHandle }> {
  const tenants: Tenant[] = [];
  const start = async (id: string, index: number, scenario: Parameters<typeof startSandbox>[0]): Promise<Tenant> => {
    const username = `api@${id}.sandbox.local`;
    const sandbox = await startSandbox({ ...scenario, seed: index + 1, latencyMs: LATENCY_MS,
      credentials: { username, secret: `secret-${id}-${index}`, integrationCode: `CODE${id.toUpperCase().replace(/-/g, '')}${index}` },
      // Each tenant its own hourly budget (Autotask's externalRequestThreshold), 5,000–10,000; no latency tiers.
      threshold: { limit: 5_000 + (index % 6) * 1_000, tierDelayScale: 0 } });
    return { id, sandbox, envPrefix: `TENANT_${id.toUpperCase().replace(/-/g, '_')}` };
  };
  for (let i = 0; i < SMALL; i += 1) {
    const id = `small-${String(i + 1).padStart(2, '0')}`;
    tenants.push(await start(id, i, { scenario: generateTenant({ seed: i + 1, now, companies: 4, contracts: 6, tickets: 60, billingItems: 20,
      apiUserName: `api@${id}.sandbox.local` }) }));
  }
  const big = await start(BIG, SMALL, { scenario: generateTenant({ seed: 999, now, companies: 200, contracts: 400, tickets: BIG_ITEMS,
    billingItems: BIG_ITEMS, apiUserName: `api@${BIG}.sandbox.local` }) });
  tenants.push(big);
  // The AUTOTASK_* (default) tenant is required by the config; an empty one nobody schedules.
  const fallback = await startSandbox({ scenario: 'empty', latencyMs: LATENCY_MS });
  return { tenants, big, fallback };
}

interface Timing { tenant: string; ms: number }


/**
 * The worker's own event-loop delay (prom-client's nodejs_eventloop_lag_max_seconds, the largest delay since the
 * previous scrape): how long one job's synchronous work held up every other job of that process.
 */
async function workerLoopLagMaxMs(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = /^nodejs_eventloop_lag_max_seconds\s+([\d.e+-]+)/m.exec(text);
  return match ? Number(match[1]) * 1000 : Number.NaN;
}

interface RoundResult { timings: Timing[]; wallMs: number; unfinished: number; failed: string[] }

function summary(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function benchWorkers(workerCount: number): Promise<{ rounds: Record<string, RoundResult>; besideLagMs: number }> {
  const now = new Date();
  const { tenants, big, fallback } = await startTenants(now);
  const small = tenants.filter((t) => t !== big);
  const prefix = uniquePrefix('many-tenants');
  const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-many-tenants-'));
  const file = {
    queue: { prefix, ...(CONCURRENCY === undefined ? {} : { concurrency: CONCURRENCY }), ...(CAP === undefined ? {} : { maxActivePerTenant: CAP }) },
    schedules: [],
    tenants: tenants.map((t) => ({ id: t.id, usernameEnv: `${t.envPrefix}_USERNAME`, secretEnv: `${t.envPrefix}_SECRET`,
      integrationCodeEnv: `${t.envPrefix}_INTEGRATION_CODE`, baseUrl: t.sandbox.url })),
  };
  const configPath = join(dir, 'sync.json');
  writeFileSync(configPath, JSON.stringify(file, null, 2));
  const env: Record<string, string> = {
    AUTOTASK_USERNAME: fallback.credentials.username, AUTOTASK_SECRET: fallback.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: fallback.credentials.integrationCode, AUTOTASK_BASE_URL: fallback.url,
    REDIS_URL, SYNC_CONFIG: configPath, PORT: '0', ADMIN_TOKEN: 'many-tenants-bench-token-0123456789',
    INVOICE_OUTPUT_DIR: join(dir, 'invoices'), LOG_LEVEL: 'info', // WorkerProcess waits for the "worker running" info line
  };
  for (const t of tenants) {
    env[`${t.envPrefix}_USERNAME`] = t.sandbox.credentials.username;
    env[`${t.envPrefix}_SECRET`] = t.sandbox.credentials.secret;
    env[`${t.envPrefix}_INTEGRATION_CODE`] = t.sandbox.credentials.integrationCode;
  }
  const config = loadConfig({ env, file });
  // Confirmed, as an operator does after the first run's review: otherwise every writing job is a dry run (first-run
  // mode) and the big tenant's build-invoices only plans its 20,000 marks instead of sending them.
  await confirmTenants(prefix, tenants.map((t) => t.id));
  const redis = createRedis(REDIS_URL, 'many-tenants-bench');
  const queues = createQueues(redis, config);
  const events = new QueueEvents(JOBS_QUEUE, { connection: createRedis(REDIS_URL, 'many-tenants-events'), prefix: queues.prefix });
  const finished = new Map<string, { at: number; failed?: string }>();
  const waiters = new Map<string, () => void>();
  const done = (jobId: string, failed?: string): void => {
    finished.set(jobId, { at: performance.now(), ...(failed === undefined ? {} : { failed }) });
    waiters.get(jobId)?.();
  };
  events.on('completed', ({ jobId }) => done(jobId));
  events.on('failed', ({ jobId, failedReason }) => done(jobId, failedReason));
  await events.waitUntilReady();
  const deps = { config, queues, registry: jobRegistry, tenants: { resolve: (id: string | undefined) => id ?? 'default' } };
  const workers: WorkerProcess[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < workerCount; i += 1) {
      ports.push(await freePort());
      const profile: Record<string, string> = PROFILE_DIR ? { NODE_OPTIONS: `--import=${PROFILER}`, CPU_PROFILE_FILE: join(PROFILE_DIR, `worker-${workerCount}-${i + 1}.cpuprofile`) } : {};
      workers.push(await WorkerProcess.start(`worker-${i + 1}`, { ...env, PORT: String(ports[i]), ...profile }, 60_000));
    }
    const workerLag = async (): Promise<number> => Math.max(...await Promise.all(ports.map((port) => workerLoopLagMaxMs(port).catch(() => Number.NaN))));

    const enqueue = async (tenant: Tenant): Promise<{ jobId: string; at: number }> => {
      const at = performance.now();
      const { jobId } = await enqueueJob(deps, { name: 'sync-all', tenant: tenant.id, data: {} });
      return { jobId, at };
    };
    const completion = (jobId: string): Promise<void> => finished.has(jobId) ? Promise.resolve()
      : new Promise((resolve) => { waiters.set(jobId, resolve); });

    const round = async (staggerMs: number): Promise<RoundResult> => {
      const started = performance.now();
      const runs: Array<{ tenant: string; jobId: string; at: number }> = [];
      for (const tenant of small) {
        runs.push({ tenant: tenant.id, ...(await enqueue(tenant)) });
        if (staggerMs > 0) await new Promise((resolve) => setTimeout(resolve, staggerMs));
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(runs.map((r) => completion(r.jobId))),
        new Promise((resolve) => { timer = setTimeout(resolve, ROUND_DEADLINE_MS); })]);
      clearTimeout(timer);
      const timings: Timing[] = [];
      const failed: string[] = [];
      for (const run of runs) {
        const end = finished.get(run.jobId);
        if (!end) continue;
        if (end.failed) failed.push(`${run.tenant}: ${end.failed.slice(0, 120)}`);
        else timings.push({ tenant: run.tenant, ms: end.at - run.at });
      }
      // Where the first small tenants' time went, stage by stage (enqueued → active → done, ms from the sync-all's
      // enqueue, by the workers' own job timestamps): waiting for a worker slot, or slow inside the job.
      if (process.env.MANY_TENANTS_DEBUG) {
        const completed = await queues.jobs.getJobs(['completed'], 0, 5_000);
        for (const run of runs.slice(0, 3)) {
          const t0 = (await queues.jobs.getJob(run.jobId))?.timestamp ?? 0;
          const stages = completed.filter((j) => j.data?.tenant === run.tenant && (j.timestamp ?? 0) >= t0)
            .sort((a, b) => (a.processedOn ?? 0) - (b.processedOn ?? 0));
          console.log(`  ${run.tenant}: ${stages.map((j) => `${j.name} q${(j.timestamp ?? 0) - t0}→a${(j.processedOn ?? 0) - t0}→d${(j.finishedOn ?? 0) - t0}`).join(' | ')}`);
        }
      }
      return { timings, wallMs: performance.now() - started, unfinished: runs.length - timings.length - failed.length, failed };
    };

    await round(0); // warm-up: first (full) pulls of every small tenant
    const burst = await round(0);
    const alone = await round(STAGGER_MS);
    const bigRun = await enqueue(big);
    // Start the small tenants once the big tenant's run is really working (its stages hold worker slots).
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline && (await queues.jobs.getActiveCount()) < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    // The sandboxes share this process: if its event loop lags, the tenants' answers do, and the figure would
    // measure the simulator instead of the product. Say how much it lagged.
    await workerLag(); // resets the workers' window: the next scrape covers the beside round only
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    // The machine's load during the round (other work on the same CPUs shows up as delay in every figure).
    const loads: number[] = [];
    const loadProbe = setInterval(() => loads.push(loadavg()[0]!), 1_000);
    const probe = process.env.MANY_TENANTS_DEBUG ? setInterval(() => {
      void queues.jobs.getActive().then((jobs) => console.log(`active: ${jobs.map((j) => `${j.data.tenant}/${j.name}`).join(' ')}`));
    }, 300) : undefined;
    const beside = await round(STAGGER_MS);
    clearInterval(probe);
    clearInterval(loadProbe);
    console.log(`${workerCount} worker(s) beside: load average (1 min) during the round ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
    const besideLagMs = await workerLag();
    console.log(`${workerCount} worker(s) beside: largest event-loop delay in a worker process ${besideLagMs.toFixed(0)} ms`);
    lag.disable();
    console.log(`${workerCount} worker(s) beside: sandbox process event-loop delay p50 ${(lag.percentile(50) / 1e6).toFixed(0)} ms, `
      + `p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms; requests answered: big ${big.sandbox.stats().threshold.used}`);
    const bigEnd = finished.get(bigRun.jobId);
    const bigState = !bigEnd ? 'still running (abandoned)' : bigEnd.failed ? `failed (${bigEnd.failed.slice(0, 200)})` : 'completed';
    console.log(`${workerCount} worker(s): big tenant's sync-all ${bigState} when the small tenants were done; `
      + `sandbox requests big ${big.sandbox.stats().threshold.used}`);
    return { rounds: { burst, alone, beside }, besideLagMs };
  } finally {
    // A profiled worker must exit on its own to write its profile (its drain is bounded by
    // queue.shutdownGraceMs); otherwise the big tenant's run is simply abandoned.
    await Promise.all(workers.map((w) => w.kill(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL')));
    await events.close().catch(() => undefined);
    await queues.close();
    await deleteDeploymentKeys(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await Promise.all([...tenants.map((t) => t.sandbox.close()), fallback.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`many-tenants: ${SMALL} small tenants + 1 with ${BIG_ITEMS.toLocaleString('en')} tickets and billing items; `
  + `sandbox latency ${LATENCY_MS} ms; queue.maxActivePerTenant ${CAP ?? 'default'}; ${machine()}`);
const results: Record<number, Record<string, RoundResult>> = {};
for (const workerCount of [1, 3]) {
  const load = loadavg()[0]!.toFixed(2);
  const { rounds: r, besideLagMs } = await benchWorkers(workerCount);
  results[workerCount] = r;
  for (const [name, round] of Object.entries(r)) {
    const sum = summary(round.timings.map((t) => t.ms));
    console.log(`${workerCount} worker(s) ${name.padEnd(6)}: ${round.timings.length} runs, p50 ${s(sum.p50)}, p95 ${s(sum.p95)}, max ${s(sum.max)}; `
      + `wall ${s(round.wallMs)}; unfinished ${round.unfinished}; failed ${round.failed.length}${round.failed.length ? ` (${round.failed[0]})` : ''}`);
  }
  const slowest = [...r.beside!.timings].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(`${workerCount} worker(s) beside, slowest tenants: ${slowest.map((t) => `${t.tenant} ${s(t.ms)}`).join(', ')}; load average at start ${load}, now ${loadavg()[0]!.toFixed(2)}`);
  const aloneBy = new Map(r.alone!.timings.map((t) => [t.tenant, t.ms]));
  console.log(`${workerCount} worker(s) per tenant, alone/beside: ${r.beside!.timings.map((t) => `${t.tenant.replace('small-', '')} `
    + `${((aloneBy.get(t.tenant) ?? Number.NaN) / 1000).toFixed(2)}/${(t.ms / 1000).toFixed(2)}`).join(', ')}`);
  const alone = summary(r.alone!.timings.map((t) => t.ms));
  const beside = summary(r.beside!.timings.map((t) => t.ms));
  const fairness = beside.p95 / alone.p50;
  const complete = r.beside!.unfinished === 0 && r.beside!.failed.length === 0;
  printFigure({ figure: `many tenants, ${workerCount} worker(s): small tenant's sync-all enqueue→done alone (p50 / p95)`,
    measured: `${s(alone.p50)} / ${s(alone.p95)}`, target: 'reference', met: null });
  printFigure({ figure: `many tenants, ${workerCount} worker(s): beside a ${BIG_ITEMS.toLocaleString('en')}-item backlog (p50 / p95)`,
    measured: `${s(beside.p50)} / ${s(beside.p95)}${complete ? '' : ` (${r.beside!.unfinished} unfinished, ${r.beside!.failed.length} failed)`}`,
    target: 'reference', met: null });
  printFigure({ figure: `many tenants, ${workerCount} worker(s): fairness p95 beside / p50 alone`, measured: `${fairness.toFixed(2)}×`,
    target: '< 2×', met: complete && fairness < 2 });
  printFigure({ figure: `many tenants, ${workerCount} worker(s): largest event-loop delay of a worker process, beside round`,
    measured: `${besideLagMs.toFixed(0)} ms`, target: 'reference (a job\'s synchronous work holds up every job of its process)', met: null });
  printFigure({ figure: `many tenants, ${workerCount} worker(s): throughput, ${SMALL} small tenants at once`,
    measured: `${(r.burst!.timings.length / (r.burst!.wallMs / 60_000)).toFixed(0)} tenant runs/min (${s(r.burst!.wallMs)})`, target: 'reference', met: null });
}
const rate = (w: number) => results[w]!.burst!.timings.length / (results[w]!.burst!.wallMs / 60_000);
printFigure({ figure: 'many tenants: throughput scaling, 3 workers vs 1', measured: `${(rate(3) / rate(1)).toFixed(2)}×`,
  target: 'close to 3× until per-tenant limits or the CPUs bind', met: null });
process.exit(0);
