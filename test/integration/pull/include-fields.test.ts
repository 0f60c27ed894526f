/**
 * The ticket and billing-item pulls ask Autotask for the fields the store keeps (IncludeFields;
 * docs/autotask-api.md#include-fields), not whole records: a real ticket is about 76 fields, 2.1 KB of JSON, and a
 * 500-record page of them is a megabyte to transfer, parse and validate for 21 stored fields. What is stored must
 * not change: every stored record is still exactly the projection of the whole record.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncBillingItemsJob } from '../../../jobs/sync-billing-items.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { EntityStore } from '../../../src/store/entity-store.js';
import { PULLED_FIELDS, projectBillingItem, projectTicket, type StoredBillingItem, type StoredTicket } from '../../../src/store/projections.js';
import { generateTenant } from '../../../src/sandbox/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

const queriesOf = (harness: Harness, entity: string) => harness.sandbox.requestLog
  .filter((e) => e.entity === entity && e.method === 'POST' && e.path.includes('/query') && !e.path.includes('/count'));

describe('pulls ask only for the fields they store', () => {
  it('every ticket and billing-item query names the stored fields, full and incremental, and the store holds the same projections', async () => {
    const now = new Date();
    // More than a page of each, so the full read is partitioned (several chains) and the incremental read pages.
    h = await startHarness({ sandbox: { scenario: generateTenant({ seed: 7, now, tickets: 1_200, billingItems: 1_100 }), now } });
    const data = h.sandbox.data;
    const store = new EntityStore(h.redis, h.prefix, h.tenant.id);
    for (let round = 0; round < 2; round += 1) {
      h.sandbox.resetStats();
      if (round === 1) {
        const ticket = data.all('Tickets')[0]!;
        data.update('Tickets', ticket.id, { title: 'changed since the first read', lastActivityDate: new Date(now.getTime() + 60_000).toISOString() });
      }
      await h.run(syncTicketsJob);
      await h.run(syncBillingItemsJob);
      for (const [entity, fields] of [['Tickets', PULLED_FIELDS.Tickets], ['BillingItems', PULLED_FIELDS.BillingItems]] as const) {
        const queries = queriesOf(h, entity);
        expect(queries.length).toBeGreaterThan(0);
        for (const query of queries) {
          const include = (query.body as { IncludeFields?: string[] }).IncludeFields;
          expect(include, `${entity} query #${query.seq} (round ${round})`).toBeDefined();
          expect(new Set(include)).toEqual(new Set(['id', ...fields]));
        }
      }
    }
    const tickets = data.all('Tickets');
    const stored = await store.all('Tickets');
    expect(stored.length).toBeGreaterThan(0);
    const ticketById = new Map(tickets.map((t) => [t.id, t]));
    for (const record of stored) expect(record).toEqual(projectTicket(ticketById.get(record.id) as unknown as StoredTicket));
    expect(stored.find((t) => t.title === 'changed since the first read')).toBeDefined();

    const items = new Map(data.all('BillingItems').map((b) => [b.id, b]));
    const storedItems = await store.all('BillingItems');
    expect(storedItems.length).toBeGreaterThan(0);
    for (const record of storedItems) {
      expect(record).toEqual(projectBillingItem({ ...(items.get(record.id) as unknown as StoredBillingItem), unreadable: null }));
    }
  });
});
