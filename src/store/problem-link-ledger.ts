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
 * Layout: ledger('problem-links') HASH ticketId → JSON entry. It grows with the links made (one entry per linked
 * ticket), which is the size of what it records.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import { tenantKeys } from './keys.js';

export interface ProblemLinkEntry {
  problemId: number;
  state: 'pending' | 'linked';
  at: string;
}

export class ProblemLinkLedger {
  private readonly key: string;

  constructor(private readonly redis: RedisConnection, keyPrefix: string, tenantId: string, private readonly clock: () => Date = () => new Date()) {
    this.key = tenantKeys(keyPrefix, tenantId).ledger('problem-links');
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
    await this.redis.hset(this.key, String(ticketId), JSON.stringify({ problemId, state: 'pending', at: this.clock().toISOString() }));
  }

  /** After Autotask confirmed the PATCH (or a re-read shows the link in place). */
  async markLinked(ticketId: number, problemId: number): Promise<void> {
    await this.redis.hset(this.key, String(ticketId), JSON.stringify({ problemId, state: 'linked', at: this.clock().toISOString() }));
  }
}
