/**
 * Stopwatches in Redis (issue 8), so a worker restart or a second worker process loses nothing.
 *
 * Layout (all under the tenant's hash tag, see keys.ts):
 *  - stopwatch(id)      HASH { record: JSON of StoredStopwatch, version: n }
 *  - stopwatchRunning   HASH "<resourceId>:<ticketId>" → id while that stopwatch is running or paused
 *  - stopwatchIndex     ZSET id → startedAt ms (for list)
 *  - stopwatchUnpushed  ZSET id → stoppedAt ms, stopped stopwatches without a time entry yet
 *  - ledgerAge('stopwatches-pushed')  ZSET id → pushedAt ms, what retention drops (docs/store-bounds.md#retention)
 *
 * Every transition re-runs the pure rule (src/rules/stopwatch.ts) on the record it read, then writes with a
 * compare-and-set on `version` in one Lua script, retrying when another process got there first. Lua rather than
 * WATCH/MULTI because WATCH belongs to a connection, and one ioredis connection is shared by concurrent requests.
 * Start is a single script too: the "one running or paused stopwatch per resource and ticket" check and the
 * insert happen atomically, so of two concurrent starts exactly one wins and the other learns the winner's id.
 *
 * Stop leaves the stopwatch in `stopwatchUnpushed` until markPushed: if the process dies between stop and the
 * enqueue of push-time-entries, `unpushed()` tells the runtime which entries to enqueue again (the time-entry
 * ledger keeps that re-push from creating a second entry).
 */
import { randomUUID } from 'node:crypto';
import { luaScript, runScript } from '../lib/redis-script.js';
import type { RedisConnection } from '../lib/redis-connection.js';
import { AppError } from '../lib/errors.js';
import {
  pauseStopwatch, resumeStopwatch, startStopwatch, stopStopwatch,
} from '../rules/stopwatch.js';
import type {
  StartStopwatchInput, Stopwatch, StopwatchRefusalCode, StopwatchResult, StopStopwatchInput,
} from '../rules/stopwatch.js';
import { tenantKeys } from './keys.js';

export interface StoredStopwatch extends Stopwatch {
  /** The Autotask TimeEntries id once pushed. */
  timeEntryId: number | null;
  pushedAt: string | null;
  /** Why the last push failed (cleared by markPushed). */
  pushError: string | null;
}

export type StopwatchStoreCode = StopwatchRefusalCode | 'NOT_FOUND' | 'NOT_STOPPED' | 'ALREADY_PUSHED';

export type StopwatchStoreResult =
  | { ok: true; stopwatch: StoredStopwatch }
  | { ok: false; code: StopwatchStoreCode; reason: string };

export type StartResult =
  | { ok: true; stopwatch: StoredStopwatch }
  | { ok: false; code: 'CONFLICT'; conflict: string; reason: string }
  | { ok: false; code: 'INVALID_INPUT'; reason: string };

export interface StopwatchStoreOptions {
  redis: RedisConnection;
  keyPrefix: string;
  tenantId: string;
  /** Injected for tests; defaults to the system clock. */
  clock?: () => Date;
  /** Compare-and-set attempts before giving up with STOPWATCH_CONTENDED (retryable). */
  maxAttempts?: number;
}

export interface StopwatchStore {
  start(input: Omit<StartStopwatchInput, 'id'>, now?: Date): Promise<StartResult>;
  pause(id: string, now?: Date): Promise<StopwatchStoreResult>;
  resume(id: string, now?: Date): Promise<StopwatchStoreResult>;
  stop(id: string, input?: StopStopwatchInput, now?: Date): Promise<StopwatchStoreResult>;
  get(id: string): Promise<StoredStopwatch | null>;
  /** Newest first. */
  list(options?: { limit?: number; offset?: number }): Promise<StoredStopwatch[]>;
  /** Records the time entry a stopped stopwatch became; the same id again is a no-op. */
  markPushed(id: string, timeEntryId: number, now?: Date): Promise<StopwatchStoreResult>;
  /** Records why a push failed; the stopwatch stays unpushed. */
  markPushError(id: string, reason: string): Promise<StopwatchStoreResult>;
  /** Ids of stopped stopwatches without a time entry, oldest stop first. */
  unpushed(limit?: number, offset?: number): Promise<string[]>;
  /**
   * A person's correction of a stopped stopwatch that is not yet an entry (issue 14 item 10): set the role, trim the
   * notes; clears the refusal so the next push (a retry, or the sweep) tries again with the new content.
   */
  correct(id: string, patch: { roleId?: number | null; summaryNotes?: string | null; internalNotes?: string | null }): Promise<StopwatchStoreResult>;
  /**
   * Retention: drops at most `limit` stopwatches pushed before `before`, oldest first. A pushed stopwatch is final
   * (nothing changes it again), and a re-push of its entry key finds the entry in Autotask before it would create.
   */
  trimPushed(before: Date, limit: number): Promise<number>;
}

/** Contention is transient: the caller (an HTTP request, a job) may retry. */
export class StopwatchContendedError extends AppError {
  constructor(id: string) {
    super('STOPWATCH_CONTENDED', `stopwatch ${id} kept changing under concurrent updates`, { retryable: true });
  }
}

const START_LUA = `
local current = redis.call('HGET', KEYS[2], ARGV[1])
if current then
  if redis.call('EXISTS', ARGV[5] .. current) == 1 then return {0, current} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {-1, ARGV[2]} end
redis.call('HSET', KEYS[1], 'record', ARGV[3], 'version', 1)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
return {1, ARGV[2]}
`;
// START: the running index may name a stopwatch whose hash was removed by hand; that entry is stale and is
// replaced. Its key is built from ARGV[5] (the stopwatch key prefix, same hash tag, so same Cluster slot).

const UPDATE_LUA = `
local version = redis.call('HGET', KEYS[1], 'version')
if not version then return -1 end
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[2], 'version', tonumber(version) + 1)
if ARGV[5] == '1' and redis.call('HGET', KEYS[2], ARGV[3]) == ARGV[4] then redis.call('HDEL', KEYS[2], ARGV[3]) end
if ARGV[6] == 'add' then redis.call('ZADD', KEYS[3], ARGV[7], ARGV[4])
elseif ARGV[6] == 'rem' then redis.call('ZREM', KEYS[3], ARGV[4]) end
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[4], ARGV[8], ARGV[4]) end
return 1
`;

// Once per tenant: stopwatches a version without the pushed index stored get age 0, so retention reads their real
// pushedAt (it never drops on the score alone). KEYS: list index, pushed index, marker.
const BUILD_PUSHED_LUA = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do redis.call('ZADD', KEYS[2], 'NX', 0, id) end
redis.call('SET', KEYS[3], '1')
return 1
`;

const SCRIPTS = { start: luaScript('stopwatch-start', START_LUA), update: luaScript('stopwatch-update', UPDATE_LUA),
  buildPushed: luaScript('stopwatch-pushed-index', BUILD_PUSHED_LUA) };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function runningField(sw: Pick<Stopwatch, 'resourceId' | 'ticketId'>): string {
  return `${sw.resourceId}:${sw.ticketId}`;
}

interface UpdatePlan {
  next: StoredStopwatch;
  releaseRunning?: boolean;
  unpushed?: 'add' | 'rem';
}

export function createStopwatchStore(options: StopwatchStoreOptions): StopwatchStore {
  const { redis } = options;
  const keys = tenantKeys(options.keyPrefix, options.tenantId);
  const clock = options.clock ?? ((): Date => new Date());
  const maxAttempts = options.maxAttempts ?? 50;
  const stopwatchKeyPrefix = keys.stopwatch('x').slice(0, -1);
  const pushedKey = keys.ledgerAge('stopwatches-pushed');

  async function read(id: string): Promise<{ record: StoredStopwatch; version: string } | null> {
    if (!UUID.test(id)) return null;
    const [record, version] = await redis.hmget(keys.stopwatch(id), 'record', 'version');
    if (record === null || record === undefined || version === null || version === undefined) return null;
    return { record: JSON.parse(record) as StoredStopwatch, version };
  }

  const notFound = (id: string): StopwatchStoreResult => ({ ok: false, code: 'NOT_FOUND', reason: `no stopwatch ${id}` });

  /** Read → pure decision → compare-and-set, until the write lands on the version it was computed from. */
  async function update(id: string, decide: (current: StoredStopwatch) => UpdatePlan | StopwatchStoreResult): Promise<StopwatchStoreResult> {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const current = await read(id);
      if (current === null) return notFound(id);
      const plan = decide(current.record);
      if ('ok' in plan) return plan;
      const { next } = plan;
      const reply = await runScript(redis, SCRIPTS.update, [keys.stopwatch(id), keys.stopwatchRunning, keys.stopwatchUnpushed, pushedKey], [
        current.version, JSON.stringify(next), runningField(next), id, plan.releaseRunning ? '1' : '0', plan.unpushed ?? '',
        Date.parse(next.stoppedAt ?? next.startedAt), next.pushedAt && next.timeEntryId !== null ? Date.parse(next.pushedAt) : '']);
      if (reply === 1) return { ok: true, stopwatch: next };
      if (reply === -1) return notFound(id);
      // Another process changed the stopwatch since we read it: decide again on the fresh record.
    }
    throw new StopwatchContendedError(id);
  }

  function fromTransition(result: StopwatchResult<StoredStopwatch>, extra: Omit<UpdatePlan, 'next'> = {}): UpdatePlan | StopwatchStoreResult {
    return result.ok ? { next: result.value, ...extra } : { ok: false, code: result.code, reason: result.reason };
  }

  return {
    async start(input, now = clock()) {
      const id = randomUUID();
      const started = startStopwatch({ ...input, id }, now);
      if (!started.ok) return { ok: false, code: 'INVALID_INPUT', reason: started.reason };
      const record: StoredStopwatch = { ...started.value, timeEntryId: null, pushedAt: null, pushError: null };
      const field = runningField(record);
      const reply = await runScript(redis, SCRIPTS.start, [keys.stopwatch(id), keys.stopwatchRunning, keys.stopwatchIndex],
        [field, id, JSON.stringify(record), Date.parse(record.startedAt), stopwatchKeyPrefix]) as [number, string];
      if (reply[0] === 1) return { ok: true, stopwatch: record };
      if (reply[0] === 0) {
        return { ok: false, code: 'CONFLICT', conflict: reply[1],
          reason: `resource ${record.resourceId} already has stopwatch ${reply[1]} on ticket ${record.ticketId}` };
      }
      // A random UUID that already exists is practically impossible; refusing beats overwriting someone's time.
      throw new AppError('STOPWATCH_ID_COLLISION', `stopwatch id ${id} already exists`, { retryable: true });
    },

    pause: (id, now = clock()) => update(id, (sw) => fromTransition(pauseStopwatch(sw, now))),
    resume: (id, now = clock()) => update(id, (sw) => fromTransition(resumeStopwatch(sw, now))),
    stop: (id, input = {}, now = clock()) =>
      update(id, (sw) => fromTransition(stopStopwatch(sw, now, input), { releaseRunning: true, unpushed: 'add' })),

    async get(id) {
      return (await read(id))?.record ?? null;
    },

    async list({ limit = 100, offset = 0 } = {}) {
      const ids = await redis.zrevrange(keys.stopwatchIndex, offset, offset + Math.max(1, limit) - 1);
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keys.stopwatch(id), 'record');
      const replies = (await pipeline.exec()) ?? [];
      return replies.flatMap(([error, raw]) => (error || typeof raw !== 'string' ? [] : [JSON.parse(raw) as StoredStopwatch]));
    },

    markPushed: (id, timeEntryId, now = clock()) => update(id, (sw) => {
      if (sw.state !== 'stopped') return { ok: false, code: 'NOT_STOPPED', reason: `stopwatch ${id} is ${sw.state}, not stopped` };
      if (sw.timeEntryId === timeEntryId) return { ok: true, stopwatch: sw };
      if (sw.timeEntryId !== null) {
        return { ok: false, code: 'ALREADY_PUSHED', reason: `stopwatch ${id} already became time entry ${sw.timeEntryId}` };
      }
      return { next: { ...sw, timeEntryId, pushedAt: now.toISOString(), pushError: null }, unpushed: 'rem' };
    }),

    markPushError: (id, reason) => update(id, (sw) => {
      if (sw.timeEntryId !== null) return { ok: true, stopwatch: sw };
      return { next: { ...sw, pushError: reason.slice(0, 2000) } };
    }),

    correct: (id, patch) => update(id, (sw) => {
      if (sw.state !== 'stopped') return { ok: false, code: 'NOT_STOPPED', reason: `stopwatch ${id} is ${sw.state}; stop it before correcting it` };
      if (sw.timeEntryId !== null) {
        return { ok: false, code: 'ALREADY_PUSHED', reason: `stopwatch ${id} already became time entry ${sw.timeEntryId}; correct the entry in Autotask` };
      }
      return { next: { ...sw, ...(patch.roleId !== undefined ? { roleId: patch.roleId } : {}),
        ...(patch.summaryNotes !== undefined ? { summaryNotes: patch.summaryNotes } : {}),
        ...(patch.internalNotes !== undefined ? { internalNotes: patch.internalNotes } : {}), pushError: null } };
    }),

    async unpushed(limit = 1000, offset = 0) {
      return await redis.zrange(keys.stopwatchUnpushed, offset, offset + Math.max(1, limit) - 1);
    },

    async trimPushed(before, limit) {
      await runScript(redis, SCRIPTS.buildPushed, [keys.stopwatchIndex, pushedKey, `${pushedKey}:built`], []);
      const ids = await redis.zrangebyscore(pushedKey, '-inf', before.getTime(), 'LIMIT', 0, limit);
      if (ids.length === 0) return 0;
      const records = await Promise.all(ids.map(async (id) => ({ id, record: (await read(id))?.record ?? null })));
      const multi = redis.multi();
      let dropped = 0;
      for (const { id, record } of records) {
        const pushedAt = record?.timeEntryId != null && record.pushedAt ? Date.parse(record.pushedAt) : null;
        // Not pushed yet (indexed by the migration): looked at again later; its push re-scores it anyway.
        if (record !== null && pushedAt === null) multi.zadd(pushedKey, clock().getTime(), id);
        else if (pushedAt !== null && pushedAt > before.getTime()) multi.zadd(pushedKey, pushedAt, id);
        else {
          if (record !== null) dropped += 1;
          multi.del(keys.stopwatch(id)).zrem(keys.stopwatchIndex, id).zrem(keys.stopwatchUnpushed, id).zrem(pushedKey, id);
        }
      }
      const results = await multi.exec();
      const failed = results?.find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
      return dropped;
    },
  };
}
