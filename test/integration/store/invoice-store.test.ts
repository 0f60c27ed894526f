import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvoiceStore } from '../../../src/store/invoice-store.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = connectRedis();
let prefix: string;
let store: InvoiceStore<{ invoiceKey: string; total: number }, { code: string }>;
const now = new Date('2026-11-26T10:00:00.000Z');

beforeEach(() => { prefix = uniquePrefix('invoices'); store = new InvoiceStore(redis, prefix, 'default'); });
afterEach(async () => { await cleanPrefix(redis, prefix); });
afterAll(async () => { await redis.quit(); });

describe('InvoiceStore', () => {
  it('keeps deliveries when a document is rebuilt, and lists by status', async () => {
    await store.saveDraft({ invoiceKey: 'a', total: 1 }, [], now);
    await store.saveDraft({ invoiceKey: 'b', total: 2 }, [{ code: 'MIXED_PO' }], now);
    await store.recordDelivery('a', 'file', '/tmp/a.json', false, now);
    await store.saveDraft({ invoiceKey: 'a', total: 1 }, [], new Date('2026-11-27T00:00:00.000Z'));
    expect((await store.get('a'))?.deliveries.file?.reference).toBe('/tmp/a.json');
    expect((await store.get('a'))?.builtAt).toBe(now.toISOString());
    await store.recordDelivery('a', 'http', 'idem-a', true, now);
    expect((await store.list('delivered')).map((r) => r.invoiceKey)).toEqual(['a']);
    expect((await store.list('draft')).map((r) => [r.invoiceKey, r.warnings])).toEqual([['b', [{ code: 'MIXED_PO' }]]]);
    expect(await store.removeDrafts(new Set())).toBe(1);
    expect((await store.list()).length).toBe(1);
  });

  it('ledgers delivered items and marks', async () => {
    await store.recordDeliveredItems('a', [1, 2, 3]);
    expect([...(await store.deliveredItems([2, 9])).entries()]).toEqual([[2, 'a']]);
    expect((await store.allDeliveredItems()).size).toBe(3);
    await store.recordMark(2, '2026-11-26T10:00:00.000Z');
    expect([...(await store.marks([1, 2])).keys()]).toEqual([2]);
  });

  it('refuses to record a delivery on an unknown invoice', async () => {
    await expect(store.recordDelivery('nope', 'file', 'x', true, now)).rejects.toThrow(/no invoice nope/);
  });
});
