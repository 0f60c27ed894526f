import { afterEach, describe, expect, it } from 'vitest';
import { syncBillingItemsJob } from '../../../jobs/sync-billing-items.js';
import { syncContractsJob } from '../../../jobs/sync-contracts.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { generateTenant } from '../../../src/sandbox/index.js';
import { EntityStore } from '../../../src/store/entity-store.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

const now = new Date();
let h: Harness;
afterEach(async () => { await h?.close(); });

function storeOf(harness: Harness): EntityStore {
  return new EntityStore(harness.redis, harness.prefix, harness.tenant.id);
}

function queryRequests(harness: Harness, entity: string): number {
  return harness.sandbox.requestLog.filter((r) => r.entity === entity && r.method === 'POST' && r.path.includes('/query')).length;
}

describe('pull jobs against the sandbox', () => {
  it('pulls more than 500 records of each entity completely, then an unchanged tenant costs one request each (billing items: one per 500 open)', async () => {
    h = await startHarness({ sandbox: { scenario: generateTenant({ seed: 7, now, companies: 40, contracts: 1_800, tickets: 4_000, billingItems: 2_500 }) } });
    const data = h.sandbox.data;
    const dayMs = 86_400_000;
    const lookback = new Date(now.getTime() - 90 * dayMs).toISOString();
    const endedSince = new Date(now.getTime() - 120 * dayMs).toISOString();
    const expectTickets = data.all('Tickets').filter((t) => String(t.lastActivityDate) >= lookback).length;
    const expectContracts = data.all('Contracts').filter((c) => c.status === 1 || (c.endDate !== null && String(c.endDate) >= endedSince)).length;
    const expectItems = data.all('BillingItems').filter((b) => b.invoiceID === null && b.webServiceDate === null).length;
    expect(Math.min(expectTickets, expectContracts, expectItems)).toBeGreaterThan(500);

    await h.run(syncContractsJob);
    await h.run(syncBillingItemsJob);
    await h.run(syncTicketsJob);
    const store = storeOf(h);
    expect(await store.count('Contracts')).toBe(expectContracts);
    expect(await store.count('BillingItems')).toBe(expectItems);
    expect(await store.count('Tickets')).toBe(expectTickets);

    // Incremental runs with nothing changed: contracts and tickets read one short page; billing items re-read
    // the open set from its lowest id, ceil(open / 500) pages.
    h.sandbox.resetStats();
    const before = h.sandbox.requestLog.length;
    const results = [await h.run(syncContractsJob), await h.run(syncTicketsJob)];
    expect(results.map((r) => r.mode)).toEqual(['incremental', 'incremental']);
    const log = h.sandbox.requestLog.slice(before);
    expect(log.filter((r) => r.entity === 'Contracts').length).toBeLessThanOrEqual(2);
    expect(log.filter((r) => r.entity === 'Tickets').length).toBeLessThanOrEqual(2);
    const items = await h.run(syncBillingItemsJob);
    expect(items.counts.removed).toBe(0);
    // Paging ends on a short page, so exactly floor(open / 500) + 1 queries.
    expect(queryRequests(h, 'BillingItems')).toBe(Math.floor(expectItems / 500) + 1);
  });

  it('picks up a changed ticket and a new billing item and nothing else; an invoiced item leaves the open set', async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    await h.run(syncBillingItemsJob);
    const store = storeOf(h);
    const data = h.sandbox.data;
    const ticket = data.all('Tickets').find((t) => String(t.lastActivityDate) > new Date(now.getTime() - 30 * 86_400_000).toISOString())!;
    data.update('Tickets', ticket.id, { title: 'Changed by a technician', lastActivityDate: new Date(Date.now() + 1000).toISOString() });
    const template = data.all('BillingItems').find((b) => b.invoiceID === null && b.webServiceDate === null)!;
    const { id: _drop, ...fields } = template;
    const added = data.insert('BillingItems', { ...fields, description: 'new overage hour' });
    const invoiced = data.all('BillingItems').find((b) => b.invoiceID === null && b.webServiceDate === null && b.id !== added.id)!;
    data.update('BillingItems', invoiced.id, { invoiceID: 999_001 });

    const tickets = await h.run(syncTicketsJob);
    const items = await h.run(syncBillingItemsJob);
    expect((await store.get('Tickets', ticket.id))?.title).toBe('Changed by a technician');
    // Only what changed within the overlap window came back, not the whole look-back.
    expect(tickets.counts.read).toBeLessThan(10);
    expect(await store.get('BillingItems', added.id)).not.toBeNull();
    expect(await store.get('BillingItems', invoiced.id)).toBeNull();
    expect(items.counts.removed).toBe(1);
  });

  it('resumes a pull that crashed between pages from its checkpoint, without loss', async () => {
    h = await startHarness({ sandbox: { scenario: generateTenant({ seed: 3, now, tickets: 9_000, billingItems: 10, contracts: 10 }) } });
    const controller = new AbortController();
    let pages = 0;
    // The "crash": abort the job's signal once two pages have been stored.
    const original = h.client.queryPartitioned.bind(h.client);
    h.client.queryPartitioned = ((entity, filter, options) => {
      const iterable = original(entity, filter, options);
      return { async *[Symbol.asyncIterator]() {
        for await (const page of iterable) {
          yield page;
          pages += 1;
          if (pages === 2) controller.abort(new Error('simulated crash'));
        }
      } };
    }) as typeof h.client.queryPartitioned;
    await expect(h.run(syncTicketsJob, {}, { signal: controller.signal })).rejects.toThrow();
    const store = storeOf(h);
    const storedAfterCrash = await store.count('Tickets');
    expect(storedAfterCrash).toBeGreaterThan(0);
    expect(await store.getCheckpoint('tickets')).not.toBeNull();

    h.client.queryPartitioned = original;
    h.sandbox.resetStats();
    const before = h.sandbox.requestLog.length;
    const resumed = await h.run(syncTicketsJob);
    expect(resumed.resumed).toBe(true);
    const expected = h.sandbox.data.all('Tickets').filter((t) => String(t.lastActivityDate) >= new Date(now.getTime() - 90 * 86_400_000).toISOString()).length;
    expect(await store.count('Tickets')).toBe(expected);
    // It did not start over: fewer records were read than the whole look-back holds.
    expect(resumed.counts.read).toBeLessThan(expected);
    expect(h.sandbox.requestLog.slice(before).filter((r) => r.entity === 'Tickets').length).toBeLessThan(Math.ceil(expected / 500) + 3);
    expect(await store.getCheckpoint('tickets')).toBeNull();
  });

  it('two processes pulling at once never exceed 3 concurrent requests per endpoint and see no 429s', async () => {
    // Slots given back at once: this is about the cap across processes; the release delay has its own bench,
    // test/bench/thread-headroom.ts. Answers take 150 ms so that the two processes' reads overlap (and the cap of 3
    // is reached) however slowly a busy machine schedules them: with 15 ms answers the cap was sometimes never met.
    h = await startHarness({ sandbox: { scenario: generateTenant({ seed: 5, now, tickets: 3_000, billingItems: 1_500, contracts: 300 }), latencyMs: 150 },
      file: { autotask: { retryMinMs: 5, retryMaxMs: 50, requestTimeoutMs: 5_000, slotReleaseDelayMs: 0 } } });
    const second = h.newClient();
    const asProcess = (client: typeof h.client) => ({ ...h, client });
    const runA = (job: typeof syncTicketsJob) => h.run(job, { full: true });
    const other = asProcess(second);
    await Promise.all([
      runA(syncTicketsJob), other.run.call({ ...other }, syncTicketsJob, { full: true }),
      runA(syncBillingItemsJob), runA(syncContractsJob),
    ]);
    const stats = h.sandbox.stats();
    for (const [endpoint, s] of Object.entries(stats.endpoints)) expect(s.maxConcurrency, endpoint).toBeLessThanOrEqual(3);
    expect(stats.endpoints.Tickets?.maxConcurrency).toBe(3);
    expect(stats.status429).toBe(0);
  });

  it('a dry run reads and counts but stores nothing', async () => {
    h = await startHarness();
    const result = await h.run(syncTicketsJob, {}, { dryRun: true });
    expect(result.counts.read).toBeGreaterThan(0);
    expect(await storeOf(h).count('Tickets')).toBe(0);
    expect(await storeOf(h).getCursor('tickets.lastActivityDate')).toBeNull();
  });
});
