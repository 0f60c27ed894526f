/**
 * Invoice documents and the delivery ledger of build-invoices (issue 6). Exactly-once delivery and marking rest
 * on three records per tenant, all in Redis and all written only after the fact they record is true:
 *  - the document (HASH invoiceKey → {document, warnings, status, deliveries{sink → reference}}): a sink is
 *    never asked again for an invoiceKey it has confirmed;
 *  - the delivered-items ledger (HASH billingItemID → invoiceKey): an item that went out on one invoice is never
 *    grouped into another, even when new items of the same purchase order arrive before it is marked;
 *  - the marks ledger (HASH billingItemID → webServiceDate written): an item is PATCHed at most once;
 *  - the decisions ledger (HASH invoiceKey → JSON list of people's approve/reject decisions, each on one document
 *    version): kept apart from the document, so a build rewriting a draft never loses a decision made meanwhile,
 *    and appended by a script, so two people deciding at once both stay in the audit trail.
 * The documents are indexed by status (a ZSET per status plus one of delivered-but-unmarked invoices, scored by
 * builtAt), written in the same MULTI as the HASH and in the tenant's hash slot, so a run reads the drafts and the
 * unmarked deliveries without reading every invoice ever delivered (issue 17 item 5, docs/store-bounds.md). Delivered
 * invoices are also indexed by their last change, so retention drops the old ones with their ledger fields, a batch
 * at a time (src/push/invoice-retention.ts decides which may go).
 * A lost Redis loses the ledgers; the job then falls back on Autotask's own state (the item's current
 * webServiceDate) before marking, and sinks de-duplicate by Idempotency-Key / file name.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import { luaScript, runScript } from '../lib/redis-script.js';
import { tenantKeys, type TenantKeys } from './keys.js';

export type InvoiceStatus = 'draft' | 'delivered';

/** A person's decision on one version of a draft (src/rules/invoice-approval.ts gives it meaning). */
export interface StoredDecision {
  action: string;
  version: string;
  by: string;
  at: string;
}

/** Appends one decision to an invoice's list. KEYS: decisions HASH; ARGV: invoiceKey, decision JSON. */
const APPEND_DECISION = luaScript('invoice-decision-append', `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local list = raw and cjson.decode(raw) or {}
table.insert(list, cjson.decode(ARGV[2]))
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(list))
return #list
`);

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

const STATUSES: readonly InvoiceStatus[] = ['draft', 'delivered'];
/** HMGET this many documents at a time, so one call never carries an unbounded reply. */
const READ_CHUNK = 500;
/** Fields per HMGET when looking up delivered items by id. */
const DELIVERED_LOOKUP_SLICE = 1_000;

/**
 * Builds the status index from the documents once, for a store a version without the index wrote (otherwise its
 * unfinished deliveries and unmarked invoices would be invisible to the next run). Atomic: no write interleaves.
 * KEYS: invoices, draft index, delivered index, unmarked index, marker.
 */
const BUILD_INDEX = luaScript('invoice-status-index', `
if redis.call('EXISTS', KEYS[5]) == 1 then return 0 end
local function epochDays(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local record = cjson.decode(all[i + 1])
  local score = 0
  local y, mo, d, h, mi, s = string.match(record.builtAt or '', '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)')
  if y then score = ((epochDays(tonumber(y), tonumber(mo), tonumber(d)) * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60 + tonumber(s) end
  if record.status == 'delivered' then
    redis.call('ZADD', KEYS[3], score, all[i])
    if record.markedAt == nil or record.markedAt == cjson.null then redis.call('ZADD', KEYS[4], score, all[i]) end
  else
    redis.call('ZADD', KEYS[2], score, all[i])
  end
end
redis.call('SET', KEYS[5], '1')
return #all / 2
`);

/**
 * Fills the retention index once from the delivered index, for documents delivered before it existed (scored by
 * builtAt: older than their last change, so retention looks at them early and re-checks them; it never drops on
 * the score alone). KEYS: retention index, delivered index, marker.
 */
const BUILD_RETENTION = luaScript('invoice-retention-index', `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'WEIGHTS', 1, 1000, 'AGGREGATE', 'MAX')
redis.call('SET', KEYS[3], '1')
return 1
`);

/** When a delivered invoice last changed: what its retention counts from. */
function lastChange(record: StoredInvoice<unknown, unknown>): number {
  return Date.parse(record.markedAt ?? record.deliveredAt ?? record.builtAt) || 0;
}

export class InvoiceStore<Doc extends { invoiceKey: string }, Warning = unknown> {
  private readonly keys: TenantKeys;

  constructor(private readonly redis: RedisConnection, keyPrefix: string, readonly tenantId: string) {
    this.keys = tenantKeys(keyPrefix, tenantId);
  }

  private get deliveredItemsKey(): string { return this.keys.ledger('invoice-items'); }
  private get marksKey(): string { return this.keys.ledger('webservice-marks'); }
  private get decisionsKey(): string { return this.keys.ledger('invoice-decisions'); }
  private indexed: Promise<void> | undefined;

  /** Once per store object: makes sure the status index exists before it is read or relied on. */
  private ensureIndexed(): Promise<void> {
    this.indexed ??= runScript(this.redis, BUILD_INDEX, [this.keys.invoices, this.keys.invoiceStatus('draft'),
      this.keys.invoiceStatus('delivered'), this.keys.invoicesUnmarked, this.keys.invoicesIndexed], []).then(() => undefined,
      (error: unknown) => { this.indexed = undefined; throw error; });
    return this.indexed;
  }

  /** Writes a document and its index entries in one MULTI (one hash slot), so the index never disagrees with it. */
  private async put(record: StoredInvoice<Doc, Warning>): Promise<void> {
    await this.ensureIndexed();
    // Whole epoch seconds of builtAt, as the index build scores them, so both agree.
    const score = Math.floor(Date.parse(record.builtAt) / 1000) || 0;
    const multi = this.redis.multi().hset(this.keys.invoices, record.invoiceKey, JSON.stringify(record));
    for (const status of STATUSES) {
      if (status === record.status) multi.zadd(this.keys.invoiceStatus(status), score, record.invoiceKey);
      else multi.zrem(this.keys.invoiceStatus(status), record.invoiceKey);
    }
    if (record.status === 'delivered' && !record.markedAt) multi.zadd(this.keys.invoicesUnmarked, score, record.invoiceKey);
    else multi.zrem(this.keys.invoicesUnmarked, record.invoiceKey);
    if (record.status === 'delivered') multi.zadd(this.keys.invoicesRetention, lastChange(record), record.invoiceKey);
    else multi.zrem(this.keys.invoicesRetention, record.invoiceKey);
    await execOrThrow(multi.exec());
  }

  private async readMany(invoiceKeys: readonly string[]): Promise<StoredInvoice<Doc, Warning>[]> {
    const out: StoredInvoice<Doc, Warning>[] = [];
    for (let i = 0; i < invoiceKeys.length; i += READ_CHUNK) {
      const values = await this.redis.hmget(this.keys.invoices, ...invoiceKeys.slice(i, i + READ_CHUNK));
      for (const raw of values) if (raw !== null) out.push(JSON.parse(raw) as StoredInvoice<Doc, Warning>);
    }
    return out;
  }

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
    await this.put(record);
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
    await this.put(existing);
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

  /**
   * The documents of one status through its index (no read of the others), or every document when no status is
   * given (the operator's listing, not a run).
   */
  async list(status?: InvoiceStatus): Promise<StoredInvoice<Doc, Warning>[]> {
    const records = status === undefined
      ? (await this.redis.hvals(this.keys.invoices)).map((raw) => JSON.parse(raw) as StoredInvoice<Doc, Warning>)
      : await this.readIndex(this.keys.invoiceStatus(status));
    return records.filter((record) => status === undefined || record.status === status)
      .sort((a, b) => a.builtAt.localeCompare(b.builtAt) || a.invoiceKey.localeCompare(b.invoiceKey));
  }

  /** Delivered invoices whose items are not all marked yet: what a run must finish marking first. */
  async listUnmarked(): Promise<StoredInvoice<Doc, Warning>[]> {
    return (await this.readIndex(this.keys.invoicesUnmarked)).filter((r) => r.status === 'delivered' && !r.markedAt)
      .sort((a, b) => a.builtAt.localeCompare(b.builtAt) || a.invoiceKey.localeCompare(b.invoiceKey));
  }

  private async readIndex(indexKey: string): Promise<StoredInvoice<Doc, Warning>[]> {
    await this.ensureIndexed();
    return this.readMany(await this.redis.zrange(indexKey, 0, -1));
  }

  /**
   * Drops drafts that are no longer built (their items were re-grouped or invoiced in Autotask) — never one that a
   * delivery has started on (`keep` holds those: their items are bound to them in the delivered-items ledger).
   */
  async removeDrafts(keep: ReadonlySet<string>): Promise<number> {
    const stale = (await this.list('draft')).filter((r) => !keep.has(r.invoiceKey) && Object.keys(r.deliveries).length === 0)
      .map((r) => r.invoiceKey);
    if (stale.length) {
      const multi = this.redis.multi().hdel(this.keys.invoices, ...stale);
      for (const status of STATUSES) multi.zrem(this.keys.invoiceStatus(status), ...stale);
      multi.zrem(this.keys.invoicesUnmarked, ...stale);
      // A draft no longer built takes its decisions along: they were about a document that no longer exists.
      multi.hdel(this.decisionsKey, ...stale);
      await execOrThrow(multi.exec());
    }
    return stale.length;
  }

  /** billingItemID → invoiceKey for the items that already went out on an invoice. */
  async deliveredItems(ids: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    // In slices: one HMGET of 20,000 fields would hold Redis (and this event loop) for one long reply.
    for (let from = 0; from < ids.length; from += DELIVERED_LOOKUP_SLICE) {
      const slice = ids.slice(from, from + DELIVERED_LOOKUP_SLICE);
      const values = await this.redis.hmget(this.deliveredItemsKey, ...slice.map(String));
      values.forEach((v, i) => { if (v !== null) out.set(slice[i]!, v); });
    }
    return out;
  }

  async recordDeliveredItems(invoiceKey: string, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.hset(this.deliveredItemsKey, ...ids.flatMap((id) => [String(id), invoiceKey]));
  }

  /** Records that every item of a delivered invoice is marked. */
  async recordMarked(invoiceKey: string, now: Date): Promise<void> {
    const existing = await this.get(invoiceKey);
    if (!existing) return;
    existing.markedAt = now.toISOString();
    await this.put(existing);
  }

  /** Appends a person's decision on one version of an invoice to its list. */
  async recordDecision(invoiceKey: string, decision: StoredDecision): Promise<void> {
    await runScript(this.redis, APPEND_DECISION, [this.decisionsKey], [invoiceKey, JSON.stringify(decision)]);
  }

  /** invoiceKey → its decisions, oldest first (absent: nobody decided). */
  async decisions(invoiceKeys: readonly string[]): Promise<Map<string, StoredDecision[]>> {
    const out = new Map<string, StoredDecision[]>();
    for (let i = 0; i < invoiceKeys.length; i += READ_CHUNK) {
      const chunk = invoiceKeys.slice(i, i + READ_CHUNK);
      const values = await this.redis.hmget(this.decisionsKey, ...chunk);
      values.forEach((raw, j) => { if (raw !== null) out.set(chunk[j]!, JSON.parse(raw) as StoredDecision[]); });
    }
    return out;
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

  /**
   * Retention (docs/store-bounds.md#retention): at most `limit` delivered invoices whose last change is before
   * `before`, oldest first — one ZRANGEBYSCORE, never a scan. Whether one may go is the caller's decision.
   */
  async oldestDelivered(before: Date, limit: number): Promise<StoredInvoice<Doc, Warning>[]> {
    await this.ensureIndexed();
    await runScript(this.redis, BUILD_RETENTION, [this.keys.invoicesRetention, this.keys.invoiceStatus('delivered'),
      this.keys.invoicesRetentionIndexed], []);
    const keys = await this.redis.zrangebyscore(this.keys.invoicesRetention, '-inf', before.getTime(), 'LIMIT', 0, limit);
    const records = await this.readMany(keys);
    const found = new Set(records.map((r) => r.invoiceKey));
    const gone = keys.filter((key) => !found.has(key));
    if (gone.length) await this.redis.zrem(this.keys.invoicesRetention, ...gone);
    return records.filter((r) => r.status === 'delivered');
  }

  /** Counts these invoices' retention from `from` (ms) instead: they may not go yet (items still open, say). */
  async deferRetention(entries: ReadonlyArray<{ invoiceKey: string; from: number }>): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.zadd(this.keys.invoicesRetention, ...entries.flatMap((e) => [e.from, e.invoiceKey]));
  }

  /**
   * Drops delivered invoices with their status-index entries and their items' delivered-items and marks ledger
   * fields, in one MULTI (one hash slot), so no half-dropped invoice is ever read.
   */
  async dropDelivered(records: readonly StoredInvoice<Doc, Warning>[]): Promise<number> {
    if (records.length === 0) return 0;
    const keys = records.map((r) => r.invoiceKey);
    // The store is generic in its document; an invoice document lists its billing items (rules/invoice-types.ts).
    const items = records.flatMap((r) => (r.document as { items?: Array<{ billingItemID: number }> }).items ?? []).map((i) => String(i.billingItemID));
    const multi = this.redis.multi().hdel(this.keys.invoices, ...keys);
    for (const status of STATUSES) multi.zrem(this.keys.invoiceStatus(status), ...keys);
    multi.zrem(this.keys.invoicesUnmarked, ...keys).zrem(this.keys.invoicesRetention, ...keys);
    if (items.length) multi.hdel(this.deliveredItemsKey, ...items).hdel(this.marksKey, ...items);
    // The approvals of a dropped invoice go with it (the audit line in the log stays).
    multi.hdel(this.decisionsKey, ...keys);
    await execOrThrow(multi.exec());
    return records.length;
  }
}

/** A MULTI answers per command; one failed command must fail the write rather than pass silently. */
async function execOrThrow(pending: Promise<Array<[Error | null, unknown]> | null>): Promise<void> {
  const results = await pending;
  if (results === null) throw new Error('invoice store MULTI was aborted');
  const failed = results.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
