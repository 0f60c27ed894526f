/**
 * What detect-problems linked, per tenant (issue 15, "a person's unlink is undone every run"). Autotask keeps no
 * field saying who set `problemTicketId`, and the REST API we use offers no ticket history to read it from
 * (docs/problem-detection.md), so we remember our own links: a ticket we linked whose `problemTicketId` is empty
 * again was unlinked by a person, and is never linked again.
 *
 * Two states, so a crash cannot be mistaken for a person's decision:
 *  - `pending` is written before the PATCH. Found later with the ticket unlinked, the PATCH may not have landed:
 *    the ticket is linked again (once).
 *  - `linked` is written after Autotask confirmed the PATCH. Found later with the ticket unlinked, a person undid
 *    it: respected for good.
 * Layout: ledger('problem-links') HASH ticketId → JSON entry, and ledgerAge('problem-links') ZSET ticketId → ms of
 * a `linked` entry (pending ones are in flight and not aged), so retention reads the oldest, never the whole HASH
 * (docs/store-bounds.md#retention).
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import { luaScript, runScript } from '../lib/redis-script.js';
import { tenantKeys } from './keys.js';

/**
 * Once per ledger: entries a version without the age index wrote get age 0, so retention looks at them first and
 * reads their own `at` (it never drops on the score alone). KEYS: ledger, age, marker.
 */
const BUILD_AGE = luaScript('problem-links-age', `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
for _, id in ipairs(redis.call('HKEYS', KEYS[1])) do redis.call('ZADD', KEYS[2], 'NX', 0, id) end
redis.call('SET', KEYS[3], '1')
return 1
`);

/** Deletes each entry still equal to what was read (ARGV pairs ticketId, json). KEYS: ledger, age. */
const DROP_UNCHANGED = luaScript('problem-links-drop', `
local dropped = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i]); redis.call('ZREM', KEYS[2], ARGV[i]); dropped = dropped + 1
  end
end
return dropped
`);

export interface ProblemLinkEntry {
  problemId: number;
  state: 'pending' | 'linked';
  at: string;
}

export class ProblemLinkLedger {
  private readonly key: string;
  private readonly ageKey: string;

  constructor(private readonly redis: RedisConnection, keyPrefix: string, tenantId: string, private readonly clock: () => Date = () => new Date()) {
    const keys = tenantKeys(keyPrefix, tenantId);
    this.key = keys.ledger('problem-links');
    this.ageKey = keys.ledgerAge('problem-links');
  }

  async getMany(ticketIds: readonly number[]): Promise<Map<number, ProblemLinkEntry>> {
    const result = new Map<number, ProblemLinkEntry>();
    if (ticketIds.length === 0) return result;
    const raw = await this.redis.hmget(this.key, ...ticketIds.map(String));
    raw.forEach((value, i) => { if (value !== null) result.set(ticketIds[i]!, JSON.parse(value) as ProblemLinkEntry); });
    return result;
  }

  /** Every ticket we linked for good (state `linked`), with its Problem. */
  async linked(): Promise<Map<number, ProblemLinkEntry>> {
    const result = new Map<number, ProblemLinkEntry>();
    for (const [id, value] of Object.entries(await this.redis.hgetall(this.key))) {
      const entry = JSON.parse(value) as ProblemLinkEntry;
      if (entry.state === 'linked') result.set(Number(id), entry);
    }
    return result;
  }

  /** Before the PATCH. */
  async markPending(ticketId: number, problemId: number): Promise<void> {
    await execOrThrow(this.redis.multi().hset(this.key, String(ticketId), JSON.stringify({ problemId, state: 'pending', at: this.clock().toISOString() }))
      .zrem(this.ageKey, String(ticketId)).exec());
  }

  /** After Autotask confirmed the PATCH (or a re-read shows the link in place). */
  async markLinked(ticketId: number, problemId: number): Promise<void> {
    const now = this.clock();
    await execOrThrow(this.redis.multi().hset(this.key, String(ticketId), JSON.stringify({ problemId, state: 'linked', at: now.toISOString() }))
      .zadd(this.ageKey, now.getTime(), String(ticketId)).exec());
  }

  /** Retention: at most `limit` `linked` entries made before `before`, oldest first. Whether one may go is the caller's call. */
  async oldestLinked(before: Date, limit: number): Promise<Array<{ ticketId: number; entry: ProblemLinkEntry; raw: string }>> {
    await runScript(this.redis, BUILD_AGE, [this.key, this.ageKey, `${this.ageKey}:built`], []);
    const ids = await this.redis.zrangebyscore(this.ageKey, '-inf', before.getTime(), 'LIMIT', 0, limit);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(this.key, ...ids);
    const out: Array<{ ticketId: number; entry: ProblemLinkEntry; raw: string }> = [];
    const stale: string[] = [];
    ids.forEach((id, i) => {
      const raw = raws[i];
      const entry = raw ? JSON.parse(raw) as ProblemLinkEntry : null;
      if (!raw || !entry || entry.state !== 'linked') { stale.push(id); return; }
      out.push({ ticketId: Number(id), entry, raw });
    });
    if (stale.length) await this.redis.zrem(this.ageKey, ...stale);
    return out;
  }

  /** Drops these entries unless one changed since it was read. */
  async drop(entries: ReadonlyArray<{ ticketId: number; raw: string }>): Promise<number> {
    if (entries.length === 0) return 0;
    return Number(await runScript(this.redis, DROP_UNCHANGED, [this.key, this.ageKey], entries.flatMap((e) => [String(e.ticketId), e.raw])));
  }

  /** Counts these entries' age from `from` (ms) instead: they may not go yet. */
  async defer(entries: ReadonlyArray<{ ticketId: number; from: number }>): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.zadd(this.ageKey, 'XX', ...entries.flatMap((e) => [e.from, String(e.ticketId)]));
  }
}

/** A MULTI answers per command: a failed one must fail the write (the ledger entry is what a retry relies on). */
async function execOrThrow(pending: Promise<Array<[Error | null, unknown]> | null>): Promise<void> {
  const results = await pending;
  if (results === null) throw new Error('problem-link ledger MULTI was aborted');
  const failed = results.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
