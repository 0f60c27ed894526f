/**
 * What the fault tests run and compare against: the demo tenant (fixed "now", so two sandboxes hold the same
 * records), a batch of stopwatch-like time entries, a seeded random source, and the clean run — the same work
 * through the product in one process on a fresh sandbox without faults — whose end state is the reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoTenant, DEFAULT_CREDENTIALS, DEMO_FACTS, type SandboxOptions, type SandboxStats, type TenantData } from '../../../../src/sandbox/index.js';
import { eventually, startProduct } from '../../../helpers/product.js';
import { InvoiceReceiver } from './invoice-receiver.js';
import { tenantState, type TenantState } from './tenant-state.js';

export const INVOICE_SECRET = 'fault-test-invoice-secret';

export { seededRandom } from '../../../helpers/seeded-random.js';
export { poll } from './wait.js';

/**
 * The demo tenant with every `keepEvery`-th open billing item (at least two per company and PO), so a run
 * through a faulty tenant takes seconds, not minutes; every invoice group, contract, ticket story and
 * already-marked or invoiced item stays. Built afresh per call: a sandbox owns (and changes) the records it gets.
 */
export function smallerDemoTenant(now: Date, keepEvery: number): TenantData {
  const { data } = buildDemoTenant({ now, apiUserName: DEFAULT_CREDENTIALS.username });
  const perGroup = new Map<string, number>();
  const items = [...(data.records.BillingItems ?? [])].sort((a, b) => a.id - b.id);
  data.records.BillingItems = items.filter((item, index) => {
    if (item.invoiceID !== null || item.webServiceDate !== null) return true;
    const group = `${String(item.companyID)}|${String(item.purchaseOrderNumber ?? '').trim()}`;
    const seen = perGroup.get(group) ?? 0;
    perGroup.set(group, seen + 1);
    return seen < 2 || index % keepEvery === 0;
  });
  return data;
}

/** `count` entries on open tickets assigned to active technicians, worked in the last hours before `now`. */
export function timeEntries(now: Date, count: number, label: string): Array<Record<string, unknown>> {
  const base = Math.floor(now.getTime() / 60_000) * 60_000 - 6 * 3_600_000;
  return DEMO_FACTS.assignedOpenTickets.slice(0, count).map((t, i) => ({
    key: `${label}-${t.ticketId}-${i}`, ticketId: t.ticketId, resourceId: t.resourceId, roleId: null,
    startDateTime: new Date(base + i * 17 * 60_000).toISOString(),
    endDateTime: new Date(base + i * 17 * 60_000 + (25 + i * 5) * 60_000).toISOString(),
    workedSeconds: null, summaryNotes: `Stopwatch ${i + 1} on ticket ${t.ticketId}`, internalNotes: null,
  }));
}

export interface CleanRun {
  state: TenantState;
  /** Idempotency-Keys the HTTP sink received. */
  deliveredKeys: string[];
  /** Writes the tenant applied, by entity and method (sandbox stats). */
  writes: SandboxStats['writes'];
}

/** sync-all and push-time-entries through the product in this process, against a fresh fault-free sandbox. */
export async function cleanRun(sandbox: SandboxOptions, entries: Array<Record<string, unknown>>): Promise<CleanRun> {
  const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-clean-'));
  const receiver = new InvoiceReceiver();
  await receiver.start();
  const product = await startProduct({ sandbox, env: { INVOICE_OUTPUT_DIR: dir, INVOICE_WEBHOOK_URL: receiver.url,
    INVOICE_WEBHOOK_SECRET: INVOICE_SECRET } });
  try {
    const ids: string[] = [];
    for (const [job, data] of [['sync-all', {}], ['push-time-entries', { entries }]] as const) {
      const answer = await product.api('POST', `/api/jobs/${job}`, { data });
      if (answer.status !== 202) throw new Error(`clean run: ${job} answered ${answer.status}`);
      ids.push(String(answer.body.jobId));
    }
    for (const id of ids) {
      const state = await eventually(async () => {
        const { body } = await product.api('GET', `/api/jobs/${id}`);
        return body.state === 'completed' || body.state === 'failed' ? String(body.state) : false;
      }, 60_000, `clean run job ${id}`);
      if (state !== 'completed') throw new Error(`clean run: job ${id} ${state}`);
    }
    return { state: tenantState(product.sandbox, dir), deliveredKeys: [...receiver.countsByKey().keys()].sort(),
      writes: product.sandbox.stats().writes };
  } finally {
    await product.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
