import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvoiceStore } from '../../../src/store/invoice-store.js';
import { tenantKeys } from '../../../src/store/keys.js';
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
    // Looked up by id in slices of 1,000: a lookup larger than one slice finds ids in every slice.
    const many = Array.from({ length: 2_500 }, (_, i) => 10_000 + i);
    await store.recordDeliveredItems('b', [10_000, 11_999, 12_499]);
    expect([...(await store.deliveredItems([1, ...many])).entries()]).toEqual([[1, 'a'], [10_000, 'b'], [11_999, 'b'], [12_499, 'b']]);
    await store.recordMark(2, '2026-11-26T10:00:00.000Z');
    expect([...(await store.marks([1, 2])).keys()]).toEqual([2]);
  });

  it('keeps people\'s decisions apart from the document: a rebuild keeps them, concurrent ones all stay, a dropped draft takes its own along', async () => {
    await store.saveDraft({ invoiceKey: 'a', total: 1 }, [], now);
    await store.saveDraft({ invoiceKey: 'b', total: 2 }, [], now);
    const decision = (action: string, by: string) => ({ action, version: 'v1', by, at: now.toISOString() });
    // Two people deciding at the same moment: both are in the list (appended by a script, not read-modify-write).
    await Promise.all([store.recordDecision('a', decision('approved', 'ann')), store.recordDecision('a', decision('rejected', 'bob'))]);
    await store.recordDecision('b', decision('approved', 'ann'));
    // A build rewriting the draft does not touch them.
    await store.saveDraft({ invoiceKey: 'a', total: 1 }, [], now);
    const before = await store.decisions(['a', 'b', 'c']);
    expect(before.get('a')!.map((d) => d.by).sort()).toEqual(['ann', 'bob']);
    expect(before.get('b')).toEqual([decision('approved', 'ann')]);
    expect(before.has('c')).toBe(false);
    // b is no longer built: its draft and its decisions go; a's stay.
    expect(await store.removeDrafts(new Set(['a']))).toBe(1);
    const after = await store.decisions(['a', 'b']);
    expect([...after.keys()]).toEqual(['a']);
    expect(await redis.hlen(tenantKeys(prefix, 'default').ledger('invoice-decisions'))).toBe(1);
    // a is delivered, and later dropped by retention: its decisions go in the same MULTI.
    await store.recordDelivery('a', 'file', '/tmp/a.json', true, now);
    expect(await store.dropDelivered([(await store.get('a'))!])).toBe(1);
    expect(await redis.hlen(tenantKeys(prefix, 'default').ledger('invoice-decisions'))).toBe(0);
  });

  it('refuses to record a delivery on an unknown invoice', async () => {
    await expect(store.recordDelivery('nope', 'file', 'x', true, now)).rejects.toThrow(/no invoice nope/);
  });

  it('reads drafts and unmarked deliveries through the status index, never every stored invoice', async () => {
    // 50 delivered and marked invoices (the ever-growing part) and 2 that a run still has work on.
    for (let i = 0; i < 50; i += 1) {
      await store.saveDraft({ invoiceKey: `old-${i}`, total: i }, [], now);
      await store.recordDelivery(`old-${i}`, 'file', `/tmp/${i}`, true, now);
      await store.recordMarked(`old-${i}`, now);
    }
    await store.saveDraft({ invoiceKey: 'unmarked', total: 1 }, [], now);
    await store.recordDelivery('unmarked', 'file', '/tmp/u', true, now);
    await store.saveDraft({ invoiceKey: 'draft', total: 2 }, [], now);

    // The real connection, with a record of the command names a run's reads send (Redis itself is not faked).
    const sent: string[] = [];
    const watched = new Proxy(redis, { get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => { sent.push(String(prop)); return (value as (...a: unknown[]) => unknown).apply(target, args); };
    } });
    const runStore = new InvoiceStore<{ invoiceKey: string; total: number }, { code: string }>(watched, prefix, 'default');
    expect((await runStore.listUnmarked()).map((r) => r.invoiceKey)).toEqual(['unmarked']);
    expect((await runStore.list('draft')).map((r) => r.invoiceKey)).toEqual(['draft']);
    expect(await runStore.removeDrafts(new Set(['draft']))).toBe(0);
    expect(sent.filter((c) => ['hvals', 'hgetall', 'hkeys', 'hscan'].includes(c.toLowerCase()))).toEqual([]);
    expect(sent.length).toBeGreaterThan(0);
  });

  it('keeps the index in step with the documents: delivered, marked and removed drafts leave their status sets', async () => {
    const keys = tenantKeys(prefix, 'default');
    await store.saveDraft({ invoiceKey: 'a', total: 1 }, [], now);
    await store.saveDraft({ invoiceKey: 'b', total: 1 }, [], now);
    await store.recordDelivery('a', 'file', 'x', true, now);
    expect(await redis.zrange(keys.invoiceStatus('draft'), 0, -1)).toEqual(['b']);
    expect(await redis.zrange(keys.invoiceStatus('delivered'), 0, -1)).toEqual(['a']);
    expect(await redis.zrange(keys.invoicesUnmarked, 0, -1)).toEqual(['a']);
    expect(await redis.zscore(keys.invoiceStatus('delivered'), 'a')).toBe(String(now.getTime() / 1000));
    await store.recordMarked('a', now);
    expect(await redis.zrange(keys.invoicesUnmarked, 0, -1)).toEqual([]);
    expect(await store.removeDrafts(new Set())).toBe(1);
    expect(await redis.zrange(keys.invoiceStatus('draft'), 0, -1)).toEqual([]);
    expect(await redis.hkeys(keys.invoices)).toEqual(['a']);
  });

  it('builds the index once from documents an older version stored without one, so unfinished work is still found', async () => {
    const keys = tenantKeys(prefix, 'default');
    const doc = (invoiceKey: string, status: string, markedAt: string | null) => JSON.stringify({ invoiceKey, status, markedAt,
      document: { invoiceKey, total: 1 }, warnings: [], deliveries: {}, builtAt: now.toISOString(), deliveredAt: null });
    await redis.hset(keys.invoices, 'old-draft', doc('old-draft', 'draft', null), 'old-unmarked', doc('old-unmarked', 'delivered', null),
      'old-done', doc('old-done', 'delivered', now.toISOString()));
    expect((await store.listUnmarked()).map((r) => r.invoiceKey)).toEqual(['old-unmarked']);
    expect((await store.list('draft')).map((r) => r.invoiceKey)).toEqual(['old-draft']);
    expect((await store.list('delivered')).map((r) => r.invoiceKey)).toEqual(['old-done', 'old-unmarked']);
    // Scored like new writes (epoch seconds of builtAt).
    expect(await redis.zscore(keys.invoiceStatus('draft'), 'old-draft')).toBe(String(now.getTime() / 1000));
  });
});
