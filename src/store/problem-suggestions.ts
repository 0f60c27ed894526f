/**
 * Problem groups waiting for a person (issue 15, "review before write"), per tenant. detect-problems proposes the
 * groups it does not link itself (`detection.mode` suggest, or confidence below `detection.autoLinkConfidence`);
 * a person approves (the links are then made by detect-problems through the same exactly-once path as its own)
 * or rejects (remembered: the same group is not proposed again unless new tickets join it).
 *
 * A suggestion's id is derived from its group key and members (src/rules/group-key.ts, suggestionIdOf), so the
 * same group proposed by two runs is one suggestion. States: open → approved → linked, or open → rejected.
 * Approve and reject are idempotent; approving a rejected suggestion or rejecting an approved one is refused.
 *
 * Layout: ledger('problem-suggestions') HASH id → JSON. Bounded: at most MAX_OPEN open suggestions (a full run's
 * proposals replace the open ones it no longer finds; beyond the bound the oldest go) and MAX_DECIDED linked or
 * rejected ones (the oldest decided go). Approved ones waiting for their run are kept.
 * Every change is a compare-and-set of the entry's JSON, so a person's decision and a run never overwrite each other.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { ProblemGroup } from '../rules/detection-types.js';
import { AppError } from '../lib/errors.js';
import { luaScript, runScript } from '../lib/redis-script.js';
import { tenantKeys } from './keys.js';

export const MAX_OPEN = 500;
export const MAX_DECIDED = 2000;

export type SuggestionStatus = 'open' | 'approved' | 'linked' | 'rejected';

export interface ProblemSuggestion {
  id: string;
  groupKey: string;
  status: SuggestionStatus;
  group: ProblemGroup;
  proposedAt: string;
  decidedAt: string | null;
  /** After the links were made: the Problem and the tickets linked. */
  outcome: { problemTicketId: number | null; linked: number[] } | null;
}

export class SuggestionNotFoundError extends AppError {
  constructor(id: string) { super('SUGGESTION_NOT_FOUND', `no problem suggestion ${id.slice(0, 64)}`); }
}

export class SuggestionConflictError extends AppError {
  constructor(id: string, status: SuggestionStatus, wanted: string) {
    super('SUGGESTION_CONFLICT', `problem suggestion ${id} is ${status}; it cannot be ${wanted}`);
  }
}

const CAS = luaScript('problem-suggestion-cas', `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
return 1
`);

export class ProblemSuggestionStore {
  private readonly key: string;

  constructor(private readonly redis: RedisConnection, keyPrefix: string, tenantId: string, private readonly clock: () => Date = () => new Date()) {
    this.key = tenantKeys(keyPrefix, tenantId).ledger('problem-suggestions');
  }

  async list(status?: SuggestionStatus): Promise<ProblemSuggestion[]> {
    const all = Object.values(await this.redis.hgetall(this.key)).map((v) => JSON.parse(v) as ProblemSuggestion);
    return all.filter((s) => status === undefined || s.status === status).sort((a, b) => a.proposedAt.localeCompare(b.proposedAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<ProblemSuggestion | null> {
    const raw = await this.redis.hget(this.key, id);
    return raw === null ? null : (JSON.parse(raw) as ProblemSuggestion);
  }

  /**
   * Records this run's proposals. A group already known under its id keeps its state (a rejected or approved one
   * is not re-opened); a group whose members a rejected suggestion of the same group key already covers is not
   * proposed (nothing new joined it). With `replaceOpen` (a full run), open suggestions not proposed again are
   * dropped: their tickets were linked or changed since. Returns the suggestions as they stand after the call.
   */
  async propose(entries: ReadonlyArray<{ id: string; group: ProblemGroup }>, replaceOpen: boolean): Promise<ProblemSuggestion[]> {
    const existing = await this.list();
    const byId = new Map(existing.map((s) => [s.id, s]));
    const rejected = existing.filter((s) => s.status === 'rejected');
    const now = this.clock().toISOString();
    const result: ProblemSuggestion[] = [];
    const proposed = new Set<string>();
    for (const { id, group } of entries.slice(0, MAX_OPEN)) {
      proposed.add(id);
      const known = byId.get(id);
      if (known) { result.push(known); continue; }
      const members = new Set(group.ticketIds);
      const covered = rejected.find((r) => r.groupKey === group.groupKey && [...members].every((t) => r.group.ticketIds.includes(t)));
      if (covered) { result.push(covered); continue; }
      const entry: ProblemSuggestion = { id, groupKey: group.groupKey, status: 'open', group, proposedAt: now, decidedAt: null, outcome: null };
      if (await this.cas(id, null, entry)) result.push(entry);
      else { const now2 = await this.get(id); if (now2) result.push(now2); }
    }
    if (replaceOpen) {
      for (const s of existing) if (s.status === 'open' && !proposed.has(s.id)) await this.cas(s.id, s, null);
    }
    await this.trim();
    return result;
  }

  /** open → approved; approved or linked: unchanged (idempotent); rejected: refused. */
  async approve(id: string): Promise<ProblemSuggestion> {
    return this.decide(id, 'approved', (s) => (s.status === 'open' ? 'approved' : s.status === 'rejected' ? null : s.status));
  }

  /** open → rejected; rejected: unchanged (idempotent); approved or linked: refused. */
  async reject(id: string): Promise<ProblemSuggestion> {
    return this.decide(id, 'rejected', (s) => (s.status === 'open' || s.status === 'rejected' ? 'rejected' : null));
  }

  /** After detect-problems wrote an approved suggestion's links. */
  async markLinked(id: string, outcome: { problemTicketId: number | null; linked: number[] }): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.get(id);
      if (!current || current.status !== 'approved') return;
      if (await this.cas(id, current, { ...current, status: 'linked', outcome })) return;
    }
  }

  private async decide(id: string, wanted: string, next: (s: ProblemSuggestion) => SuggestionStatus | null): Promise<ProblemSuggestion> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.get(id);
      if (!current) throw new SuggestionNotFoundError(id);
      const status = next(current);
      if (status === null) throw new SuggestionConflictError(id, current.status, wanted);
      if (status === current.status) return current;
      const changed: ProblemSuggestion = { ...current, status, decidedAt: this.clock().toISOString() };
      if (await this.cas(id, current, changed)) return changed;
    }
    throw new SuggestionConflictError(id, 'open', `${wanted} (it kept changing)`);
  }

  /** Keeps the bounds: the oldest open suggestions beyond MAX_OPEN and the oldest decided beyond MAX_DECIDED go. */
  private async trim(): Promise<void> {
    const all = await this.list();
    const open = all.filter((s) => s.status === 'open');
    for (const s of open.slice(0, Math.max(0, open.length - MAX_OPEN))) await this.cas(s.id, s, null);
    // Approved ones waiting for their run are never dropped: that would lose a person's decision.
    const decided = all.filter((s) => s.status === 'linked' || s.status === 'rejected')
      .sort((a, b) => (a.decidedAt ?? '').localeCompare(b.decidedAt ?? ''));
    for (const s of decided.slice(0, Math.max(0, decided.length - MAX_DECIDED))) await this.cas(s.id, s, null);
  }

  private async cas(id: string, expected: ProblemSuggestion | null, next: ProblemSuggestion | null): Promise<boolean> {
    // The stored JSON is compared as written; JSON.stringify of what we read back gives the same text.
    const done = await runScript(this.redis, CAS, [this.key], [id, expected === null ? '' : JSON.stringify(expected),
      next === null ? '' : JSON.stringify(next)]);
    return done === 1;
  }
}
