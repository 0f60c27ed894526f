/**
 * Issue 16 item 3: real tenants answer `invoiceID: 0` for an item on no invoice (docs/autotask-samples.md). The
 * pull's open-set filter must return such items (a `notExist` alone does not match 0), and keep them open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncBillingItemsJob } from '../../../jobs/sync-billing-items.js';
import { EntityStore } from '../../../src/store/entity-store.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

describe('pulling billing items with invoiceID 0', () => {
  it('treats invoiceID 0 as open, on the first read and on an incremental one', async () => {
    h = await startHarness();
    const data = h.sandbox.data;
    const template = data.all('BillingItems').find((b) => b.invoiceID === null && b.webServiceDate === null)!;
    const { id: _drop, ...fields } = template;
    const first = data.insert('BillingItems', { ...fields, invoiceID: 0, purchaseOrderNumber: '', description: 'zero on first read' });
    await h.run(syncBillingItemsJob);
    const store = new EntityStore(h.redis, h.prefix, h.tenant.id);
    expect(await store.get('BillingItems', first.id)).not.toBeNull();

    const later = data.insert('BillingItems', { ...fields, invoiceID: 0, description: 'zero on an incremental read' });
    const result = await h.run(syncBillingItemsJob);
    expect(result.mode).toBe('incremental');
    expect(await store.get('BillingItems', later.id)).not.toBeNull();
    expect(await store.get('BillingItems', first.id)).not.toBeNull();
    expect(result.counts.removed).toBe(0);
  });
});
