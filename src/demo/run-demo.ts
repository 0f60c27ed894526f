/**
 * `autotask-sync demo` (issue 9): a sandbox tenant (scenario demo) and a worker in one process, the whole
 * pipeline (`sync-all`) run once through the real queue, and a summary read back from the tenant and the store.
 * The demo keeps its keys under its own queue prefix and clears them at start, so it never touches a real
 * deployment's state on the same Redis and every run starts from the same story.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { jobRegistry } from '../../jobs/registry.js';
import type { AutotaskClient } from '../autotask/types.js';
import { productRoutes } from '../http/routes/index.js';
import { type Logger } from '../lib/logger.js';
import { createAutotaskServices } from '../app/client-factory.js';
import { confirmTenant } from '../runtime/first-run.js';
import { startRuntime, type Runtime } from '../app/process.js';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../sandbox/index.js';
import { deleteDeploymentKeys } from '../store/deployment-keys.js';
import { followFlow, queueFlowReader } from './follow-flow.js';
import { assertRedisAnswers } from './redis-check.js';
import { seedStopwatches } from './seed-stopwatches.js';
import type { DemoSummary, SummaryProblem, SummaryTimeEntry } from './summary.js';

export const DEMO_PREFIX = 'autotask-sync-demo';

export interface DemoOptions {
  logger: Logger;
  /** HTTP port of the worker (0 = any). */
  port?: number;
  /** Called with a line per finished stage, for the progress display. */
  onProgress?: (line: string) => void;
  now?: Date;
}

export interface Demo {
  sandbox: SandboxHandle;
  runtime: Runtime;
  summary: DemoSummary;
  close(): Promise<void>;
}

async function readProblems(client: AutotaskClient, before: ReadonlySet<number>): Promise<SummaryProblem[]> {
  const problems: SummaryProblem[] = [];
  for await (const p of client.query('Tickets', [{ op: 'eq', field: 'ticketType', value: 3 }, { op: 'noteq', field: 'status', value: 5 }])) {
    problems.push({ id: p.id, ticketNumber: p.ticketNumber, title: p.title, companyID: p.companyID, incidents: [], createdByRun: !before.has(p.id) });
  }
  const byId = new Map(problems.map((p) => [p.id, p]));
  for await (const t of client.queryIn('Tickets', 'problemTicketId', [...byId.keys()])) {
    byId.get(t.problemTicketId ?? -1)?.incidents.push({ id: t.id, ticketNumber: t.ticketNumber });
  }
  return problems;
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const base = loadConfig();
  await assertRedisAnswers(base.redis);
  const now = options.now ?? new Date();
  const sandbox = await startSandbox({ port: 0, scenario: 'demo', now });
  const adminToken = base.adminToken ?? randomBytes(12).toString('hex');
  const config = loadConfig({ requireTenant: true, overrides: {
    AUTOTASK_USERNAME: sandbox.credentials.username, AUTOTASK_SECRET: sandbox.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode, AUTOTASK_ZONE_URL: sandbox.zoneUrl, AUTOTASK_BASE_URL: '',
    ADMIN_TOKEN: adminToken, PORT: String(options.port ?? base.port),
    INVOICE_OUTPUT_DIR: base.invoiceOutputDir === './data/invoices' ? './data/demo/invoices' : base.invoiceOutputDir,
  } });
  config.queue = { ...config.queue, prefix: DEMO_PREFIX };
  config.schedules = [];
  const autotask = createAutotaskServices(config, options.logger);
  let runtime: Runtime | undefined;
  try {
    runtime = await startRuntime({ config, logger: options.logger, registry: jobRegistry, clientFactory: autotask.factory,
      schedules: false, http: { port: config.port, extraRoutes: productRoutes }, beforeRedisClose: [autotask.close], defaultMetrics: true });
    await deleteDeploymentKeys(runtime.services.redis, DEMO_PREFIX);
    // The demo's tenant is the built-in sandbox: nothing real to protect, so it leaves first-run mode at once.
    await confirmTenant(runtime.services.tenants, 'default', 'demo (built-in sandbox)', now);
    const tenant = runtime.services.tenants.get('default');
    const stopwatchIds = await seedStopwatches(tenant.stopwatches, DEMO_FACTS.assignedOpenTickets.slice(0, 3).map((t, i) => ({
      ticketId: t.ticketId, resourceId: t.resourceId, startedMinutesAgo: 95 - i * 20, pausedMinutesAgo: 60 - i * 10,
      resumedMinutesAgo: 45 - i * 10, summaryNotes: ['Rebooted the domain controller and checked replication',
        'Investigated the failing backup job', 'Replaced the UPS battery'][i] ?? 'Work on the ticket',
    })), now);
    const problemsBefore = new Set((await readProblems(tenant.client, new Set())).map((p) => p.id));

    const started = Date.now();
    const { jobId } = await runtime.commands.enqueue({ name: 'sync-all', tenant: 'default', data: {} });
    await followFlow(queueFlowReader(runtime, jobId), options.onProgress ?? (() => undefined));
    const seconds = (Date.now() - started) / 1000;

    const invoices = (await tenant.invoices.list()).map((r) => ({
      companyID: r.document.companyID, purchaseOrderNumber: r.document.purchaseOrderNumber, items: r.document.items.length,
      total: r.document.total, status: r.status, contractIDs: r.document.contractIDs }));
    const problems = await readProblems(tenant.client, problemsBefore);
    const { stopwatches } = tenant;
    const timeEntries: SummaryTimeEntry[] = [];
    const resources = new Map<number, string>();
    for await (const r of tenant.client.queryIn('Resources', 'id', DEMO_FACTS.technicians.map((t) => t.resourceId))) {
      resources.set(r.id, `${r.firstName ?? ''} ${r.lastName ?? ''}`.trim());
    }
    for (const id of stopwatchIds) {
      const sw = await stopwatches.get(id);
      if (!sw?.timeEntryId) continue;
      const entry = await tenant.client.get('TimeEntries', sw.timeEntryId);
      const ticket = await tenant.client.get('Tickets', sw.ticketId);
      timeEntries.push({ timeEntryId: sw.timeEntryId, ticketNumber: ticket?.ticketNumber ?? null,
        resourceName: resources.get(sw.resourceId) ?? `resource ${sw.resourceId}`, hours: entry?.hoursWorked ?? 0, summary: entry?.summaryNotes ?? '' });
    }
    const companyIds = [...new Set([...invoices.map((i) => i.companyID), ...problems.flatMap((p) => (p.companyID === null ? [] : [p.companyID]))])];
    const companies = new Map<number, string>();
    for await (const c of tenant.client.queryIn('Companies', 'id', companyIds)) companies.set(c.id, c.companyName);

    const url = runtime.url ?? `http://127.0.0.1:${config.port}`;
    const summary: DemoSummary = { companies, invoices, problems, timeEntries, seconds, adminToken,
      urls: { console: `${url}/console`, dashboard: `${url}/admin/queues`, metrics: `${url}/metrics`, api: `${url}/api/invoices` },
      // The file sink keeps each tenant's invoices in a folder of its own (src/sinks/file-sink.ts).
      invoiceDir: resolve(config.invoiceOutputDir, tenant.tenant.id) };
    const live = runtime;
    return { sandbox, runtime: live, summary, async close() { await live.close(); await sandbox.close(); } };
  } catch (error) {
    if (runtime) await runtime.close(); else await autotask.close();
    await sandbox.close();
    throw error;
  }
}
