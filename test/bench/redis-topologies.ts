/**
 * The product on the three Redis topologies it supports (issue 17: "the README says exactly how to configure both,
 * with the figures"), each made of real `redis-server` processes started here by the fault tests' own support
 * (test/integration/faults/support/redis-topologies.ts): one node, a 3-master Redis Cluster, and a master + replica
 * watched by one sentinel. The product is the real `autotask-sync worker` executable (one process), configured
 * only through REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS + REDIS_SENTINEL_NAME, against a sandbox tenant
 * generated with TICKETS tickets and ITEMS billing items (no simulated Autotask latency, so Redis is what differs).
 *
 *   1. sync-all, REPS times per topology (a fresh sandbox and queue prefix each time): wall time from enqueue to
 *      the flow's completion (BullMQ's own timestamps), and what the Redis data nodes served meanwhile: read
 *      events on client sockets (≈ round trips: one per request or pipelined batch) and commands executed
 *      (those inside Lua scripts included). Median of REPS. Billing-item PATCHes are compared with the one-node
 *      run and checked for duplicates.
 *   2. Sentinel failover, FAILOVERS times: sync-all running, the master is SIGKILLed when the sandbox applies the
 *      KILL_AT-th billing-item mark; measured from the kill: the sentinel names the replica (its
 *      down-after-milliseconds is 1 s here; Sentinel's default is 30 s), the worker's first command on the
 *      promoted master (CLIENT LIST), the next mark reaching Autotask (work resumed), and sync-all completed
 *      (triggered again if the failover lost the job, as its schedule would). Then every mark is counted against
 *      the one-node run and checked for duplicates.
 * A benchmark, not a test: nothing here asserts a time. Every server, worker and temporary directory is removed in
 * `finally`, also when a step fails; without redis-server/redis-cli it says so and exits 0.
 * Run: npx tsx test/bench/redis-topologies.ts   (REDIS_TOPOLOGIES_TICKETS=5000 REDIS_TOPOLOGIES_ITEMS=2000
 *      REDIS_TOPOLOGIES_REPS=3 REDIS_TOPOLOGIES_FAILOVERS=3 to change sizes)
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { DEFAULT_CREDENTIALS, generateTenant, startSandbox, TenantStore, type SandboxHandle, type TenantData } from '../../src/sandbox/index.js';
import { Deployment } from '../integration/faults/support/deployment.js';
import { missingRedisBinaries, RedisClusterServers, SentinelServers, SingleRedisServer, type Topology } from '../integration/faults/support/redis-topologies.js';
import { tenantDuplicates } from '../integration/faults/support/tenant-state.js';
import { poll } from '../integration/faults/support/wait.js';
import { machine, printFigure, quantile } from './support/report.js';

const TICKETS = Number(process.env.REDIS_TOPOLOGIES_TICKETS ?? 5_000);
const ITEMS = Number(process.env.REDIS_TOPOLOGIES_ITEMS ?? 2_000);
const REPS = Number(process.env.REDIS_TOPOLOGIES_REPS ?? 3);
const FAILOVERS = Number(process.env.REDIS_TOPOLOGIES_FAILOVERS ?? 3);
const KILL_AT = Math.max(10, Math.min(200, Math.floor(ITEMS / 10)));
const RUN_DEADLINE_MS = 300_000;
const NOW = new Date();

/** Built afresh per sandbox: a sandbox owns (and changes) the records it gets. */
const tenant = (): TenantData => generateTenant({ seed: 17, now: NOW, companies: 100, contracts: 200, tickets: TICKETS, billingItems: ITEMS,
  apiUserName: DEFAULT_CREDENTIALS.username });

/** What is running now: stopped in `finally`, or by SIGINT/SIGTERM (run-all's timeout) if that comes first. */
const live = new Set<() => Promise<unknown>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: stopping the workers, sandboxes and redis-server processes of this bench`);
    const stops = [...live].reverse(); // the newest first: workers before the Redis they use
    void (async () => { for (const stop of stops) await stop().catch(() => undefined); })().finally(() => process.exit(1));
  });
}

function owned(stop: () => Promise<unknown>): () => Promise<void> {
  live.add(stop);
  return async () => {
    live.delete(stop);
    await stop().catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
  };
}

async function sandboxOf(): Promise<SandboxHandle> {
  // The request log must hold every PATCH, or the duplicate check would miss early ones.
  return startSandbox({ scenario: tenant(), now: NOW, seed: 17, port: 0, requestLogLimit: 200_000 });
}

interface Writes { marks: number; duplicates: string[] }

function writesOf(sandbox: SandboxHandle): Writes {
  const found = tenantDuplicates(sandbox, new TenantStore(tenant()));
  return { marks: sandbox.stats().writes.BillingItems?.PATCH ?? 0,
    duplicates: Object.entries(found).flatMap(([kind, list]) => list.map((d) => `${kind}: ${d}`)) };
}

/** Waits for the job's end without a Redis round trip more often than every 500 ms; the state it ended in. */
async function settled(d: Deployment, id: string, deadlineMs = RUN_DEADLINE_MS): Promise<{ state: string; finishedOn?: number; timestamp: number }> {
  return poll(async () => {
    const job = await d.jobs().getJob(id);
    if (!job) return { state: 'missing', timestamp: 0 };
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return undefined;
    return { state: state === 'failed' ? `failed: ${job.failedReason}` : state, finishedOn: job.finishedOn, timestamp: job.timestamp };
  }, deadlineMs, `job ${id}`, 500);
}

interface SyncRun { wallMs: number; reads: number; commands: number; writes: Writes }

async function syncAllOnce(topology: Topology, label: string): Promise<SyncRun> {
  const sandbox = await sandboxOf();
  const closeSandbox = owned(() => sandbox.close());
  const d = new Deployment({ label: `bench-${label}`, sandbox, redis: topology });
  const closeDeployment = owned(() => d.close());
  try {
    await d.startWorker();
    const before = await topology.served();
    const id = await d.trigger('sync-all');
    const end = await settled(d, id);
    const after = await topology.served();
    if (end.state !== 'completed' || end.finishedOn === undefined) throw new Error(`${label}: sync-all ${end.state}`);
    return { wallMs: end.finishedOn - end.timestamp, reads: after.reads - before.reads, commands: after.commands - before.commands,
      writes: writesOf(sandbox) };
  } finally {
    await closeDeployment();
    await closeSandbox();
  }
}

const median = (values: number[]): number => quantile([...values].sort((a, b) => a - b), 0.5);
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const k = (n: number): string => n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n);

async function benchSyncAll(name: string, start: () => Promise<Topology>): Promise<SyncRun[]> {
  const topology = await start();
  const stop = owned(() => topology.stop());
  try {
    const runs: SyncRun[] = [];
    for (let i = 0; i < REPS; i += 1) {
      const run = await syncAllOnce(topology, name.split(' ')[0]!.toLowerCase());
      console.log(`  ${name} #${i + 1}: ${s(run.wallMs)}, ${run.reads} reads (≈ round trips), ${run.commands} commands, ` +
        `${run.writes.marks} billing-item PATCHes, duplicates: ${run.writes.duplicates.length ? run.writes.duplicates.join('; ') : 'none'}`);
      runs.push(run);
    }
    return runs;
  } finally {
    await stop();
  }
}

/** The first command a worker connection sent to `port` after its handshake (ioredis' ready check, CLIENT SETNAME). */
async function firstWorkerCommand(port: number, deadline: number): Promise<number> {
  const watch = new Redis({ port, host: '127.0.0.1', connectionName: 'bench-watch', maxRetriesPerRequest: 0, lazyConnect: true });
  watch.on('error', () => undefined);
  const handshake = new Set(['NULL', 'info', 'client|setname', 'client|setinfo', 'client|list', 'select', 'ping', 'auth', 'hello']);
  try {
    await watch.connect();
    return await poll(async () => {
      const list = await watch.client('LIST') as string;
      const worker = list.split('\n').filter(Boolean).map((line) => Object.fromEntries(line.split(' ').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)])))
        // Ours ('bench-watch', the deployment's 'autotask-sync-test') and the sentinel's are not the worker's, nor is
        // the replica's link to its dead master (flags M: it lists the last replicated command until it notices).
        .find((c) => c.name !== 'bench-watch' && c.name !== 'autotask-sync-test' && !c.name?.startsWith('sentinel-')
          && !/[MS]/.test(c.flags ?? '') && !handshake.has(c.cmd ?? 'NULL'));
      return worker ? Date.now() : undefined;
    }, deadline - Date.now(), 'the worker\'s first command on the promoted master', 10);
  } finally {
    watch.disconnect();
  }
}

interface Failover {
  promotedMs: number; firstCommandMs: number; nextMarkMs: number; completedMs: number;
  /** From the first enqueue to the completion, the failover included (compare with the topology's sync-all). */
  totalMs: number;
  again: boolean; writes: Writes;
}

async function failoverOnce(): Promise<Failover> {
  const set = await SentinelServers.start();
  const stopSet = owned(() => set.stop());
  let closeSandbox = async (): Promise<void> => undefined;
  let closeDeployment = async (): Promise<void> => undefined;
  try {
    const sandbox = await sandboxOf();
    closeSandbox = owned(() => sandbox.close());
    const d = new Deployment({ label: 'bench-failover', sandbox, redis: set });
    closeDeployment = owned(() => d.close());
    let marks = 0;
    let killedAt: number | undefined;
    let nextMarkAt: number | undefined;
    // The kill comes from the sandbox applying a mark (before its answer): the worker has written to Autotask
    // and not yet recorded it in Redis, the worst moment for exactly-once.
    sandbox.onWrite((event) => {
      if (event.entity !== 'BillingItems' || event.method !== 'PATCH') return;
      marks += 1;
      if (marks === KILL_AT) { set.master.killNow(); killedAt = Date.now(); } else if (killedAt !== undefined) nextMarkAt ??= Date.now();
    });
    await d.startWorker();
    let id = await d.trigger('sync-all');
    const deadline = Date.now() + RUN_DEADLINE_MS;
    const killed = await poll(async () => killedAt, RUN_DEADLINE_MS, `billing-item mark ${KILL_AT}`, 50);
    const [promotedAt, firstCommandAt] = await Promise.all([
      poll(async () => ((await set.currentMasterPort()) === set.replica.port ? Date.now() : undefined), 60_000, 'the promotion', 10),
      firstWorkerCommand(set.replica.port, deadline),
    ]);
    const enqueuedAt = (await d.jobs().getJob(id))?.timestamp ?? Number.NaN;
    let end = await settled(d, id).catch(() => ({ state: 'unreachable', finishedOn: undefined, timestamp: 0 }));
    const again = end.state !== 'completed';
    if (again) {
      // The job (or its completion) was not on the replica yet: the schedule would enqueue the run again.
      id = await d.trigger('sync-all');
      end = await settled(d, id);
    }
    if (end.state !== 'completed' || end.finishedOn === undefined) throw new Error(`failover: sync-all ${end.state}`);
    const nextMark = await poll(async () => nextMarkAt, 10_000, 'a mark after the kill', 50).catch(() => Number.NaN);
    return { promotedMs: promotedAt - killed, firstCommandMs: firstCommandAt - killed, nextMarkMs: nextMark - killed,
      completedMs: end.finishedOn - killed, totalMs: end.finishedOn - enqueuedAt, again, writes: writesOf(sandbox) };
  } finally {
    await closeDeployment();
    await closeSandbox();
    await stopSet();
  }
}

const missing = missingRedisBinaries();
if (missing) {
  console.log(`redis-topologies bench skipped: ${missing}`);
  printFigure({ figure: 'Redis topologies', measured: `skipped: ${missing}`, target: '—', met: null });
  process.exit(0);
}

console.log(`machine: ${machine()}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the start`);
console.log(`tenant: ${TICKETS} tickets, ${ITEMS} billing items (generated, seed 17); 1 worker process; sandbox latency 0; ` +
  `median of ${REPS} sync-all runs per topology, ${FAILOVERS} failovers`);
const topologies: Array<[string, () => Promise<Topology>]> = [
  ['one node', () => SingleRedisServer.start()],
  ['Cluster (3 masters)', () => RedisClusterServers.start(3)],
  ['Sentinel (master + replica + 1 sentinel)', () => SentinelServers.start()],
];
const results: Array<{ name: string; runs: SyncRun[] }> = [];
for (const [name, start] of topologies) results.push({ name, runs: await benchSyncAll(name, start) });
const expectedMarks = median(results[0]!.runs.map((r) => r.writes.marks));
const baseline = median(results[0]!.runs.map((r) => r.wallMs));

const rows: string[][] = [['topology', 'sync-all (median)', 'vs one node', 'reads ≈ round trips', 'commands', 'PATCHes', 'duplicates']];
for (const { name, runs } of results) {
  const wall = median(runs.map((r) => r.wallMs));
  const reads = median(runs.map((r) => r.reads));
  const commands = median(runs.map((r) => r.commands));
  const wrong = runs.filter((r) => r.writes.marks !== expectedMarks).map((r) => r.writes.marks);
  const duplicates = runs.flatMap((r) => r.writes.duplicates);
  rows.push([name, s(wall), `${((wall / baseline - 1) * 100).toFixed(0)} %`, k(reads), k(commands),
    wrong.length ? `${expectedMarks} expected, got ${wrong.join(', ')}` : String(expectedMarks), duplicates.length ? duplicates.join('; ') : 'none']);
  printFigure({ figure: `sync-all ${TICKETS} tickets / ${ITEMS} items on ${name} (median of ${runs.length})`,
    measured: `${s(wall)}; ${k(reads)} Redis reads (≈ round trips), ${k(commands)} commands`, target: '—', met: null });
}

const failovers: Failover[] = [];
for (let i = 0; i < FAILOVERS; i += 1) {
  const f = await failoverOnce();
  console.log(`  failover #${i + 1}: promoted ${s(f.promotedMs)}, worker's first command on the new master ${s(f.firstCommandMs)}, ` +
    `next mark ${s(f.nextMarkMs)}, sync-all completed ${s(f.completedMs)} after the kill (${s(f.totalMs)} after its enqueue)${f.again ? ' (job lost in the failover: triggered again)' : ''}; ` +
    `${f.writes.marks} PATCHes (one-node run ${expectedMarks}), duplicates: ${f.writes.duplicates.length ? f.writes.duplicates.join('; ') : 'none'}`);
  failovers.push(f);
}

const table = (cells: string[][]): string => {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
};
console.log(`\n${table(rows)}\n`);
if (failovers.length > 0) {
  const m = (pick: (f: Failover) => number): string => s(median(failovers.map(pick)));
  const marks = failovers.map((f) => f.writes.marks);
  const duplicates = failovers.flatMap((f) => f.writes.duplicates);
  const failoverRows = [['Sentinel failover, from the master\'s SIGKILL (median)', 'time'],
    ['sentinel names the replica (down-after 1 s)', m((f) => f.promotedMs)],
    ['worker\'s first command on the promoted master', m((f) => f.firstCommandMs)],
    ['next billing-item mark reaches Autotask', m((f) => f.nextMarkMs)],
    ['sync-all completed', m((f) => f.completedMs)],
    ['sync-all from enqueue to completion, failover included', `${m((f) => f.totalMs)} (without: ${s(median(results[2]!.runs.map((r) => r.wallMs)))})`],
    ['runs triggered again (job lost)', `${failovers.filter((f) => f.again).length} of ${failovers.length}`],
    ['billing-item PATCHes (one-node run)', `${marks.join(', ')} (${expectedMarks})`],
    ['duplicates', duplicates.length ? duplicates.join('; ') : 'none']];
  console.log(`${table(failoverRows)}\n`);
  printFigure({ figure: `Sentinel failover (median of ${failovers.length}): kill → promoted / worker's first command on the new master`,
    measured: `${m((f) => f.promotedMs)} / ${m((f) => f.firstCommandMs)}`, target: '—', met: null });
  printFigure({ figure: 'sync-all on Sentinel with the master killed mid-run, enqueue to completion (median)',
    measured: `${m((f) => f.totalMs)} (${s(median(results[2]!.runs.map((r) => r.wallMs)))} without)`, target: '—', met: null });
  printFigure({ figure: 'Sentinel failover: billing-item writes vs one-node run, duplicates', target: 'equal, none',
    measured: `${marks.join(', ')} vs ${expectedMarks}; ${duplicates.length ? duplicates.join('; ') : 'none'}`,
    met: marks.every((n) => n === expectedMarks) && duplicates.length === 0 });
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`);
