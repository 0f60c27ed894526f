/**
 * Issue 17: the product on a real Redis Cluster (3 masters started by this test, joined with `redis-cli --cluster
 * create`), configured only through REDIS_CLUSTER_NODES, with two worker processes. sync-all and a batch of time
 * entries end as a clean single-node run does; a ticket webhook received by one worker links the ticket to its
 * Problem; a stopwatch stopped on the other worker becomes exactly one time entry. Any multi-key call across two
 * hash slots would fail with CROSSSLOT and fail the jobs; nothing may land on the single Redis at REDIS_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS, startSandbox, TenantStore, type SandboxHandle } from '../../../src/sandbox/index.js';
import { createStopwatchStore } from '../../../src/store/stopwatch-store.js';
import { connectRedis } from '../../helpers/redis.js';
import { ADMIN_TOKEN, Deployment } from './support/deployment.js';
import { missingRedisBinaries, RedisClusterServers } from './support/redis-topologies.js';
import { cleanRun, poll, smallerDemoTenant, timeEntries, type CleanRun } from './support/scenario.js';
import { NO_DUPLICATES, tenantDuplicates, tenantState } from './support/tenant-state.js';
import type { WorkerProcess } from './support/worker-process.js';

const NOW = new Date();
const KEEP_EVERY = 3;
const tenant = () => ({ scenario: smallerDemoTenant(NOW, KEEP_EVERY), now: NOW, seed: 5 });
const ENTRIES = timeEntries(NOW, 4, 'cluster');
const WEBHOOK_SECRET = 'cluster-webhook-secret';
const missing = missingRedisBinaries();
if (missing) console.warn(`SKIPPED: ${missing}`);

/** The worker's HTTP base URL, from its "http server listening" log line. */
export function workerUrl(worker: WorkerProcess): string {
  const line = worker.logLines(/"msg":"http server listening"/)[0];
  const url = line ? (JSON.parse(line) as { url?: string }).url : undefined;
  if (!url) throw new Error(`${worker.name} logged no http url:\n${worker.tail()}`);
  return url;
}

export async function api(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
}

/** A ticket created over the sandbox's REST API, as a technician would: the sandbox then sends its webhook. */
export async function createTicket(sandbox: SandboxHandle, fields: Record<string, unknown>): Promise<number> {
  const { username, secret, integrationCode } = sandbox.credentials;
  const response = await fetch(`${sandbox.url}V1.0/Tickets`, { method: 'POST', body: JSON.stringify(fields), headers: {
    'content-type': 'application/json', UserName: username, Secret: secret, ApiIntegrationCode: integrationCode } });
  const body = await response.json() as { itemId?: number };
  if (!response.ok || typeof body.itemId !== 'number') throw new Error(`ticket create answered ${response.status}: ${JSON.stringify(body)}`);
  return body.itemId;
}

describe.skipIf(missing !== undefined)('Redis Cluster: 3 masters, two worker processes', () => {
  let clean: CleanRun;
  let cluster: RedisClusterServers | undefined;
  let sandbox: SandboxHandle | undefined;
  let deployment: Deployment | undefined;

  beforeAll(async () => {
    clean = await cleanRun(tenant(), ENTRIES);
    cluster = await RedisClusterServers.start(3);
    sandbox = await startSandbox({ ...tenant(), port: 0, latencyMs: 5, latencyJitterMs: 5 });
    deployment = new Deployment({ label: 'cluster', sandbox, redis: cluster, env: { AUTOTASK_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  }, 120_000);

  afterAll(async () => {
    // Each step runs even when the one before failed: no server or directory outlives the test.
    await deployment?.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
    await cluster?.stop();
  });

  it('runs sync-all, the webhook path and the stopwatch path, each exactly once', async () => {
    const d = deployment!;
    const s = sandbox!;
    const workers = [await d.startWorker('worker-a'), await d.startWorker('worker-b')];
    const settle = async (id: string): Promise<string> => poll(async () => {
      const { state, failedReason } = await d.jobState(id);
      if (state === 'failed') return `failed: ${failedReason}`;
      return state === 'completed' ? state : undefined;
    }, 90_000, `job ${id}`);

    // 1. sync-all (a BullMQ flow: parent and children must share a slot) and a batch of time entries.
    const ids = [await d.trigger('sync-all'), await d.trigger('push-time-entries', { entries: ENTRIES })];
    for (const id of ids) expect(await settle(id), `job ${id}`).toBe('completed');
    const state = tenantState(s, d.invoiceDir);
    expect(state).toEqual(clean.state);
    expect(s.stats().writes.BillingItems?.PATCH).toBe(clean.writes.BillingItems?.PATCH);

    // 2. The webhook path: the sandbox posts a ticket webhook to worker-a; the new alert gets its Problem.
    const problem = s.data.all('Tickets').find((t) => t.ticketType === 3 && t.configurationItemID === DEMO_FACTS.narcolepticServer.configurationItemID);
    expect(problem, 'sync-all made or found the narcoleptic server\'s Problem').toBeDefined();
    s.setWebhook({ url: `${workerUrl(workers[0]!)}/webhooks/autotask`, secret: WEBHOOK_SECRET, signatureOver: 'escaped' });
    const sample = s.data.get('Tickets', DEMO_FACTS.narcolepticServer.ticketIds.at(-1)!)!;
    const alertId = await createTicket(s, { title: 'Server SRV-DC01 is offline', companyID: sample.companyID,
      configurationItemID: sample.configurationItemID, status: 1, priority: sample.priority, queueID: sample.queueID,
      source: sample.source, issueType: sample.issueType, subIssueType: sample.subIssueType, ticketType: 5 });
    await poll(async () => (s.data.get('Tickets', alertId)?.problemTicketId === problem!.id ? true : undefined), 30_000, 'the webhook-driven link');

    // 3. The stopwatch path on worker-b's HTTP server. Its clock is the real one, so the stopwatch it stops was
    //    started 40 minutes ago through the same store (a stopwatch stopped at once has no time to book).
    const { ticketId, resourceId } = DEMO_FACTS.assignedOpenTickets[5]!;
    const b = workerUrl(workers[1]!);
    const store = createStopwatchStore({ redis: d.connect(), keyPrefix: d.prefix, tenantId: 'default' });
    const running = await store.start({ ticketId, resourceId, roleId: null, summaryNotes: 'Cluster stopwatch', internalNotes: null },
      new Date(Date.now() - 40 * 60_000));
    if (!running.ok) throw new Error(running.reason);
    const id = running.stopwatch.id;
    expect(await api(b, 'POST', '/api/stopwatches', { ticketId, resourceId }), 'one running per resource and ticket')
      .toMatchObject({ status: 409, body: { id } });
    const entriesBefore = s.data.count('TimeEntries');
    expect((await api(b, 'POST', `/api/stopwatches/${id}/stop`, {})).status).toBe(200);
    const timeEntryId = await poll(async () => ((await api(b, 'GET', `/api/stopwatches/${id}`)).body.timeEntryId as number | null) ?? undefined,
      30_000, 'the stopwatch\'s time entry');
    expect(s.data.get('TimeEntries', timeEntryId)).toMatchObject({ ticketID: ticketId, resourceID: resourceId, summaryNotes: 'Cluster stopwatch' });
    expect(s.data.count('TimeEntries')).toBe(entriesBefore + 1);
    const other = DEMO_FACTS.assignedOpenTickets[6]!;
    expect((await api(b, 'POST', '/api/stopwatches', { ticketId: other.ticketId, resourceId: other.resourceId })).status, 'a start').toBe(201);

    // Nothing twice; both processes took part; the data is spread over the cluster and none went to REDIS_URL.
    expect(tenantDuplicates(s, new TenantStore(smallerDemoTenant(NOW, KEEP_EVERY)))).toEqual(NO_DUPLICATES);
    for (const worker of workers) expect(worker.logLines(/"jobId"/).length, `${worker.name} took part`).toBeGreaterThan(0);
    for (const worker of workers) expect(worker.logLines(/CROSSSLOT/).length, worker.name).toBe(0);
    const perNode = await cluster!.keysPerNode();
    expect(perNode.filter((n) => n > 0).length, `keys per master ${JSON.stringify(perNode)}`).toBeGreaterThanOrEqual(1);
    const single = connectRedis();
    try {
      expect((await single.scan('0', 'MATCH', `*${d.prefix}*`, 'COUNT', 100_000))[1]).toEqual([]);
    } finally {
      single.disconnect();
    }
    console.info(`redis cluster: keys per master ${JSON.stringify(perNode)}; requests ${s.stats().totalRequests}`);
  }, 240_000);
});
