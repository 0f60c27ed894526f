/**
 * The tenant's local copy of what the rules read: contracts, open billing items and recent tickets (issue 5).
 * One Redis HASH per entity (id → compact JSON, see projections.ts) plus, for tickets, a ZSET index by
 * lastActivityDate so the look-back prune is a range operation, not a scan. Upserts are idempotent: writing
 * the same record twice leaves the same state, so a retried or resumed pull is harmless.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import { mapInSlices, SLICE, yieldToEventLoop } from '../lib/slices.js';
import { tenantKeys, type TenantKeys } from './keys.js';
import type { StoredBillingItem, StoredContract, StoredTicket } from './projections.js';

export interface StoredEntities {
  Contracts: StoredContract;
  BillingItems: StoredBillingItem;
  Tickets: StoredTicket;
}
export type StoredEntityName = keyof StoredEntities;

const WRITE_BATCH = 1_000;
const SCAN_BATCH = 2_000;

export class EntityStore {
  private readonly keys: TenantKeys;

  constructor(private readonly redis: RedisConnection, keyPrefix: string, readonly tenantId: string) {
    this.keys = tenantKeys(keyPrefix, tenantId);
  }

  async upsert<E extends StoredEntityName>(entity: E, records: readonly StoredEntities[E][]): Promise<void> {
    for (let start = 0; start < records.length; start += WRITE_BATCH) {
      const batch = records.slice(start, start + WRITE_BATCH);
      const multi = this.redis.multi();
      // Serialised in slices: a page of 500 tickets is milliseconds of CPU the process's other jobs would wait for.
      const fields = (await mapInSlices(batch, (record) => [String(record.id), JSON.stringify(record)])).flat();
      multi.hset(this.keys.entity(entity), ...fields);
      if (entity === 'Tickets') {
        const scores: Array<string | number> = [];
        for (const record of batch as StoredTicket[]) {
          const stamp = record.lastActivityDate ?? record.createDate;
          scores.push(stamp ? Date.parse(stamp) : 0, String(record.id));
        }
        multi.zadd(this.keys.entityIndex('Tickets', 'lastActivity'), ...scores);
      }
      await multi.exec();
    }
  }

  async remove(entity: StoredEntityName, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    let removed = 0;
    for (let start = 0; start < ids.length; start += WRITE_BATCH) {
      const batch = ids.slice(start, start + WRITE_BATCH).map(String);
      const multi = this.redis.multi().hdel(this.keys.entity(entity), ...batch);
      if (entity === 'Tickets') multi.zrem(this.keys.entityIndex('Tickets', 'lastActivity'), ...batch);
      const results = await multi.exec();
      removed += Number(results?.[0]?.[1] ?? 0);
    }
    return removed;
  }

  async get<E extends StoredEntityName>(entity: E, id: number): Promise<StoredEntities[E] | null> {
    const raw = await this.redis.hget(this.keys.entity(entity), String(id));
    return raw === null ? null : (JSON.parse(raw) as StoredEntities[E]);
  }

  async getMany<E extends StoredEntityName>(entity: E, ids: readonly number[]): Promise<Map<number, StoredEntities[E]>> {
    const out = new Map<number, StoredEntities[E]>();
    if (ids.length === 0) return out;
    const values = await this.redis.hmget(this.keys.entity(entity), ...ids.map(String));
    values.forEach((raw, index) => { if (raw !== null) out.set(ids[index]!, JSON.parse(raw) as StoredEntities[E]); });
    return out;
  }

  /** Every stored record of an entity, in ascending id order. */
  async all<E extends StoredEntityName>(entity: E): Promise<StoredEntities[E][]> {
    const out: StoredEntities[E][] = [];
    let cursor = '0';
    do {
      const [next, chunk] = await this.redis.hscan(this.keys.entity(entity), cursor, 'COUNT', SCAN_BATCH);
      // Parsed in slices: a tenant's 20,000 billing items are read for every invoice run, beside other jobs.
      for (let i = 1; i < chunk.length; i += 2) {
        if (i % (2 * SLICE) === 1 && i > 1) await yieldToEventLoop();
        out.push(JSON.parse(chunk[i]!) as StoredEntities[E]);
      }
      cursor = next;
    } while (cursor !== '0');
    return out.sort((a, b) => a.id - b.id);
  }

  async ids(entity: StoredEntityName): Promise<number[]> {
    const keys = await this.redis.hkeys(this.keys.entity(entity));
    return keys.map(Number).sort((a, b) => a - b);
  }

  async count(entity: StoredEntityName): Promise<number> {
    return this.redis.hlen(this.keys.entity(entity));
  }

  /** Removes tickets whose last activity is before `before` (the look-back); returns how many. */
  async pruneTickets(before: Date): Promise<number> {
    const ids = await this.redis.zrangebyscore(this.keys.entityIndex('Tickets', 'lastActivity'), '-inf', `(${before.getTime()}`);
    return this.remove('Tickets', ids.map(Number));
  }

  async getCursor(name: string): Promise<string | null> {
    return this.redis.hget(this.keys.cursors, name);
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.redis.hset(this.keys.cursors, name, value);
  }

  async deleteCursor(name: string): Promise<void> {
    await this.redis.hdel(this.keys.cursors, name);
  }

  /** A JSON checkpoint of a pull in progress (resume after a crash without re-reading everything). */
  async getCheckpoint<T>(name: string): Promise<T | null> {
    const raw = await this.redis.hget(this.keys.cursors, `checkpoint:${name}`);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async setCheckpoint(name: string, value: unknown): Promise<void> {
    await this.redis.hset(this.keys.cursors, `checkpoint:${name}`, JSON.stringify(value));
  }

  async clearCheckpoint(name: string): Promise<void> {
    await this.redis.hdel(this.keys.cursors, `checkpoint:${name}`);
  }

  /** Where the pages of the last complete read ended (src/autotask/id-profile.ts): a few hundred ids, JSON. */
  async getReadProfile<T>(name: string): Promise<T | null> {
    const raw = await this.redis.hget(this.keys.cursors, `profile:${name}`);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async setReadProfile(name: string, value: unknown): Promise<void> {
    await this.redis.hset(this.keys.cursors, `profile:${name}`, JSON.stringify(value));
  }
}
