/**
 * The time-entry ledger of push-time-entries (issue 8): one record per entry key, so "the same key is never
 * pushed twice" (docs/contract.md#time-entry-input) holds across retries, re-runs and crashed workers.
 *
 * Exactly-once design. Autotask has no idempotency key and nothing prevents duplicate time entries; a create
 * whose answer was lost may have happened (docs/autotask-api.md#writing, #time-entries). So for each entry the job does:
 *   1. markPending(key, fingerprint): a `created` key is skipped (its entry exists); anything else is now pending;
 *   2. query Autotask for a time entry of that ticket, resource and start second (timeEntryLookup +
 *      timeEntryMatches in src/rules/time-entry.ts); when one is found, it is the one a lost create made;
 *   3. otherwise create it;
 *   4. markCreated(key, timeEntryId) — or markFailed(key, reason) for a refusal that retrying cannot fix.
 * A crash after 3 and before 4 leaves the key pending; the next attempt finds the entry in step 2 instead of
 * creating a second one. The ledger is written only after the fact it records is true, and `created` is final:
 * markFailed never downgrades it and markCreated keeps the first id.
 *
 * Two concurrent attempts on the same key are not arbitrated here: the queue runs one job per key at a time
 * (BullMQ job lock; a stopwatch key is enqueued with a job id derived from it).
 *
 * Layout: ledger('time-entries') HASH key → JSON state; ledger('time-entries-pending') ZSET key → last change ms
 * (what `pending()` lists for re-pushing); ledgerAge('time-entries') ZSET of the settled (created or failed) keys →
 * last change ms (what retention drops, docs/store-bounds.md#retention). Every change is a compare-and-set of the
 * whole JSON in one Lua script, so the HASH and the ZSETs never disagree.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import { AppError } from '../lib/errors.js';
import { luaScript, runScript } from '../lib/redis-script.js';
import type { TimeEntryInput } from '../rules/time-entry-input.js';
import { tenantKeys } from './keys.js';

export type LedgerStatus = 'pending' | 'created' | 'failed';

export interface TimeEntryLedgerState {
  key: string;
  status: LedgerStatus;
  /** entryFingerprint of the content last marked pending (null when only markCreated/markFailed wrote it). */
  fingerprint: string | null;
  timeEntryId: number | null;
  /** Why the last attempt failed. */
  reason: string | null;
  /** How many times the key was marked pending. */
  attempts: number;
  /** The entry itself when given to markPending, so pending() can push it again. */
  entry: TimeEntryInput | null;
  firstSeenAt: string;
  updatedAt: string;
  /**
   * When the last create was sent, until its answer is known (cleared by a definite refusal). A create whose
   * answer was lost can still land minutes later: until a window has passed, the push looks, it does not create.
   */
  createSentAt?: string | null;
}

export interface MarkPendingResult {
  /** The state after the call: unchanged when the key was already `created`. */
  state: TimeEntryLedgerState;
  /** The state before the call, null for a key never seen. */
  previous: TimeEntryLedgerState | null;
}

export interface TimeEntryLedgerOptions {
  redis: RedisConnection;
  keyPrefix: string;
  tenantId: string;
  clock?: () => Date;
  maxAttempts?: number;
}

export interface TimeEntryLedger {
  get(key: string): Promise<TimeEntryLedgerState | null>;
  markPending(key: string, fingerprint: string, entry?: TimeEntryInput): Promise<MarkPendingResult>;
  markCreated(key: string, timeEntryId: number): Promise<TimeEntryLedgerState>;
  markFailed(key: string, reason: string): Promise<TimeEntryLedgerState>;
  /** Records that a create is about to be sent (before it is: a crash mid-request leaves the mark). */
  markCreateSent(key: string): Promise<TimeEntryLedgerState>;
  /**
   * The create was definitely not applied (refused before it was sent, e.g. for budget, or answered with a
   * definite refusal such as a 429): nothing of it can land later, so the next attempt need not wait for it.
   */
  clearCreateSent(key: string): Promise<TimeEntryLedgerState>;
  /** Pending keys, oldest change first. */
  pending(limit?: number): Promise<TimeEntryLedgerState[]>;
  /**
   * Retention (docs/store-bounds.md#retention): drops at most `limit` created or failed keys last changed before
   * `before`, oldest first, each only if it did not change meanwhile. Pending keys are work and stay.
   */
  trimSettled(before: Date, limit: number): Promise<number>;
}

// KEYS: ledger, pending index, settled-age index. A key is in exactly one index: pending (work) or settled (age).
const CAS_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
if ARGV[4] == 'add' then redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1]); redis.call('ZREM', KEYS[3], ARGV[1])
else redis.call('ZREM', KEYS[2], ARGV[1]); redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1]) end
return 1
`;
const CAS = luaScript('time-entry-ledger-cas', CAS_LUA);

/**
 * Once per ledger: keys a version without the age index settled get age 0, so retention looks at them first and
 * reads their real updatedAt (it never drops on the score alone). KEYS: ledger, pending, age, marker.
 */
const BUILD_AGE = luaScript('time-entry-ledger-age', `
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
for _, key in ipairs(redis.call('HKEYS', KEYS[1])) do
  if not redis.call('ZSCORE', KEYS[2], key) then redis.call('ZADD', KEYS[3], 'NX', 0, key) end
end
redis.call('SET', KEYS[4], '1')
return 1
`);

/**
 * Deletes each key whose JSON is still the one read (ARGV pairs key, json; '' = missing); after '|', re-scores the
 * rest by their real last change, or takes a pending one out of the age index. KEYS: ledger, age, pending.
 */
const DROP_UNCHANGED = luaScript('time-entry-ledger-drop', `
local dropped = 0
local i = 1
while ARGV[i] ~= '|' do
  if (redis.call('HGET', KEYS[1], ARGV[i]) or '') == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i]); redis.call('ZREM', KEYS[2], ARGV[i]); dropped = dropped + 1
  end
  i = i + 2
end
i = i + 1
while i <= #ARGV do
  if redis.call('ZSCORE', KEYS[3], ARGV[i]) then redis.call('ZREM', KEYS[2], ARGV[i])
  else redis.call('ZADD', KEYS[2], 'XX', ARGV[i + 1], ARGV[i]) end
  i = i + 2
end
return dropped
`);

export class LedgerContendedError extends AppError {
  constructor(key: string) {
    super('LEDGER_CONTENDED', `time-entry ledger key ${JSON.stringify(key).slice(0, 80)} kept changing`, { retryable: true });
  }
}

export function createTimeEntryLedger(options: TimeEntryLedgerOptions): TimeEntryLedger {
  const { redis } = options;
  const keys = tenantKeys(options.keyPrefix, options.tenantId);
  const ledgerKey = keys.ledger('time-entries');
  const pendingKey = keys.ledger('time-entries-pending');
  const ageKey = keys.ledgerAge('time-entries');
  const ageMarker = `${ageKey}:built`;
  const clock = options.clock ?? ((): Date => new Date());
  const maxAttempts = options.maxAttempts ?? 50;

  async function cas(key: string, expected: string | null, next: TimeEntryLedgerState): Promise<boolean> {
    const args = [key, expected ?? '', JSON.stringify(next), next.status === 'pending' ? 'add' : 'rem', Date.parse(next.updatedAt)];
    return (await runScript(redis, CAS, [ledgerKey, pendingKey, ageKey], args)) === 1;
  }

  /** Read → decide → compare-and-set on the raw JSON, retried when another writer got in between. */
  async function change(key: string, decide: (current: TimeEntryLedgerState | null, now: string) => TimeEntryLedgerState | null):
    Promise<{ state: TimeEntryLedgerState; previous: TimeEntryLedgerState | null }> {
    if (key.length === 0) throw new RangeError('a time-entry key must not be empty');
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const raw = await redis.hget(ledgerKey, key);
      const previous = raw === null ? null : (JSON.parse(raw) as TimeEntryLedgerState);
      const next = decide(previous, clock().toISOString());
      if (next === null) {
        if (previous === null) throw new Error('a ledger decision must write a missing key');
        return { state: previous, previous };
      }
      if (await cas(key, raw, next)) return { state: next, previous };
    }
    throw new LedgerContendedError(key);
  }

  const fresh = (key: string, now: string): TimeEntryLedgerState => ({ key, status: 'pending', fingerprint: null,
    timeEntryId: null, reason: null, attempts: 0, entry: null, firstSeenAt: now, updatedAt: now });

  return {
    async get(key) {
      const raw = await redis.hget(ledgerKey, key);
      return raw === null ? null : (JSON.parse(raw) as TimeEntryLedgerState);
    },

    async markPending(key, fingerprint, entry) {
      return await change(key, (current, now) => {
        if (current?.status === 'created') return null;
        const base = current ?? fresh(key, now);
        // A pending key stays pending (a crashed attempt); a failed one is tried again with the content given now.
        // `reason` keeps the last failure until the key is created, so an operator sees why it needed a retry.
        return { ...base, status: 'pending', fingerprint, entry: entry ?? base.entry, attempts: base.attempts + 1, updatedAt: now };
      });
    },

    async markCreated(key, timeEntryId) {
      if (!Number.isSafeInteger(timeEntryId) || timeEntryId <= 0) throw new RangeError(`not a time entry id: ${timeEntryId}`);
      return (await change(key, (current, now) => {
        if (current?.status === 'created') return null; // the first id stays: `created` is final
        return { ...(current ?? fresh(key, now)), status: 'created', timeEntryId, reason: null, updatedAt: now };
      })).state;
    },

    async markFailed(key, reason) {
      return (await change(key, (current, now) => {
        if (current?.status === 'created') return null;
        // A refusal is a definite answer to the last create: nothing of it can land later.
        return { ...(current ?? fresh(key, now)), status: 'failed', reason: reason.slice(0, 2000), createSentAt: null, updatedAt: now };
      })).state;
    },

    async markCreateSent(key) {
      return (await change(key, (current, now) => {
        if (current?.status === 'created') return null;
        return { ...(current ?? fresh(key, now)), status: 'pending', createSentAt: now, updatedAt: now };
      })).state;
    },

    async clearCreateSent(key) {
      return (await change(key, (current, now) => {
        if (!current || current.status !== 'pending' || !current.createSentAt) return null;
        return { ...current, createSentAt: null, updatedAt: now };
      })).state;
    },

    async pending(limit = 1000) {
      const keysPending = await redis.zrange(pendingKey, 0, Math.max(1, limit) - 1);
      if (keysPending.length === 0) return [];
      const raws = await redis.hmget(ledgerKey, ...keysPending);
      return raws.flatMap((raw) => {
        if (raw === null) return [];
        const state = JSON.parse(raw) as TimeEntryLedgerState;
        return state.status === 'pending' ? [state] : [];
      });
    },

    async trimSettled(before, limit) {
      await runScript(redis, BUILD_AGE, [ledgerKey, pendingKey, ageKey, ageMarker], []);
      const candidates = await redis.zrangebyscore(ageKey, '-inf', before.getTime(), 'LIMIT', 0, limit);
      if (candidates.length === 0) return 0;
      const raws = await redis.hmget(ledgerKey, ...candidates);
      const drop: string[] = [];
      const rescore: Array<string | number> = [];
      candidates.forEach((key, i) => {
        const raw = raws[i];
        if (raw === null || raw === undefined) { drop.push(key, ''); return; }
        const state = JSON.parse(raw) as TimeEntryLedgerState;
        const changed = Date.parse(state.updatedAt);
        // A key created (or refused) long ago: a re-push finds its entry by ticket, resource and start
        // (src/push/time-entries.ts findExisting) before it would create, so the record is no longer needed.
        if (state.status !== 'pending' && changed <= before.getTime()) drop.push(key, raw);
        else rescore.push(key, changed);
      });
      return Number(await runScript(redis, DROP_UNCHANGED, [ledgerKey, ageKey, pendingKey], [...drop, '|', ...rescore]));
    },
  };
}
