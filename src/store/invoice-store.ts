/**
 * Invoice documents and the delivery ledger of build-invoices (issue 6). Exactly-once delivery and marking rest
 * on three records per tenant, all in Redis and all written only after the fact they record is true:
 *  - the document (HASH invoiceKey → {document, warnings, status, deliveries{sink → reference}}): a sink is
 *    never asked again for an invoiceKey it has confirmed;
 *  - the delivered-items ledger (HASH billingItemID → invoiceKey): an item that went out on one invoice is never
 *    grouped into another, even when new items of the same purchase order arrive before it is marked;
 *  - the marks ledger (HASH billingItemID → webServiceDate written): an item is PATCHed at most once.
 * A lost Redis loses the ledgers; the job then falls back on Autotask's own state (the item's current
 * webServiceDate) before marking, and sinks de-duplicate by Idempotency-Key / file name.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import { tenantKeys, type TenantKeys } from './keys.js';

export type InvoiceStatus = 'draft' | 'delivered';

export interface StoredInvoice<Doc, Warning> {
  invoiceKey: string;
  status: InvoiceStatus;
  document: Doc;
  warnings: Warning[];
  deliveries: Record<string, { reference: string; at: string }>;
  builtAt: string;
  deliveredAt: string | null;
  /** When every item of a delivered invoice carried its webServiceDate mark (then it is never looked at again). */
  markedAt?: string | null;
}

export class InvoiceStore<Doc extends { invoiceKey: string }, Warning = unknown> {
  private readonly keys: TenantKeys;

  constructor(private readonly redis: RedisConnection, keyPrefix: string, readonly tenantId: string) {
    this.keys = tenantKeys(keyPrefix, tenantId);
  }

  private get deliveredItemsKey(): string { return this.keys.ledger('invoice-items'); }
  private get marksKey(): string { return this.keys.ledger('webservice-marks'); }

  async get(invoiceKey: string): Promise<StoredInvoice<Doc, Warning> | null> {
    const raw = await this.redis.hget(this.keys.invoices, invoiceKey);
    return raw === null ? null : (JSON.parse(raw) as StoredInvoice<Doc, Warning>);
  }

  /** Saves a freshly built document as a draft, keeping what an earlier run already delivered. */
  async saveDraft(document: Doc, warnings: Warning[], now: Date): Promise<StoredInvoice<Doc, Warning>> {
    const existing = await this.get(document.invoiceKey);
    const record: StoredInvoice<Doc, Warning> = existing
      ? { ...existing, document, warnings }
      : { invoiceKey: document.invoiceKey, status: 'draft', document, warnings, deliveries: {}, builtAt: now.toISOString(), deliveredAt: null };
    await this.redis.hset(this.keys.invoices, document.invoiceKey, JSON.stringify(record));
    return record;
  }

  /** Records a sink's confirmation. `complete` marks the invoice delivered (every configured sink confirmed). */
  async recordDelivery(invoiceKey: string, sink: string, reference: string, complete: boolean, now: Date): Promise<void> {
    const existing = await this.get(invoiceKey);
    if (!existing) throw new Error(`no invoice ${invoiceKey} to record a delivery on`);
    existing.deliveries[sink] = { reference, at: now.toISOString() };
    if (complete) {
      existing.status = 'delivered';
      existing.deliveredAt ??= now.toISOString();
    }
    await this.redis.hset(this.keys.invoices, invoiceKey, JSON.stringify(existing));
  }

  /**
   * What the last build-invoices run left off (issue 14 item 4): replaced as a whole by each run, so the list always
   * matches one run, never a mix. `GET /api/invoices` shows it beside the documents.
   */
  async saveSkipped<Item>(skipped: readonly Item[], builtAt: Date): Promise<void> {
    await this.redis.set(this.keys.invoiceSkipped, JSON.stringify({ builtAt: builtAt.toISOString(), items: skipped }));
  }

  async lastSkipped<Item>(): Promise<{ builtAt: string; items: Item[] } | null> {
    const raw = await this.redis.get(this.keys.invoiceSkipped);
    return raw === null ? null : JSON.parse(raw) as { builtAt: string; items: Item[] };
  }

  async list(status?: InvoiceStatus): Promise<StoredInvoice<Doc, Warning>[]> {
    const values = await this.redis.hvals(this.keys.invoices);
    return values.map((raw) => JSON.parse(raw) as StoredInvoice<Doc, Warning>)
      .filter((record) => status === undefined || record.status === status)
      .sort((a, b) => a.builtAt.localeCompare(b.builtAt) || a.invoiceKey.localeCompare(b.invoiceKey));
  }

  /**
   * Drops drafts that are no longer built (their items were re-grouped or invoiced in Autotask) — never one that a
   * delivery has started on (`keep` holds those: their items are bound to them in the delivered-items ledger).
   */
  async removeDrafts(keep: ReadonlySet<string>): Promise<number> {
    const stale = (await this.list('draft')).filter((r) => !keep.has(r.invoiceKey) && Object.keys(r.deliveries).length === 0)
      .map((r) => r.invoiceKey);
    if (stale.length) await this.redis.hdel(this.keys.invoices, ...stale);
    return stale.length;
  }

  /** billingItemID → invoiceKey for the items that already went out on an invoice. */
  async deliveredItems(ids: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const values = await this.redis.hmget(this.deliveredItemsKey, ...ids.map(String));
    values.forEach((v, i) => { if (v !== null) out.set(ids[i]!, v); });
    return out;
  }

  async recordDeliveredItems(invoiceKey: string, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.hset(this.deliveredItemsKey, ...ids.flatMap((id) => [String(id), invoiceKey]));
  }

  /** Every delivered item with the invoice it went out on (for marking what is not yet marked). */
  async allDeliveredItems(): Promise<Map<number, string>> {
    const all = await this.redis.hgetall(this.deliveredItemsKey);
    return new Map(Object.entries(all).map(([id, key]) => [Number(id), key]));
  }

  /** Records that every item of a delivered invoice is marked. */
  async recordMarked(invoiceKey: string, now: Date): Promise<void> {
    const existing = await this.get(invoiceKey);
    if (!existing) return;
    existing.markedAt = now.toISOString();
    await this.redis.hset(this.keys.invoices, invoiceKey, JSON.stringify(existing));
  }

  async marks(ids: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const values = await this.redis.hmget(this.marksKey, ...ids.map(String));
    values.forEach((v, i) => { if (v !== null) out.set(ids[i]!, v); });
    return out;
  }

  async recordMark(id: number, webServiceDate: string): Promise<void> {
    await this.redis.hset(this.marksKey, String(id), webServiceDate);
  }
}
