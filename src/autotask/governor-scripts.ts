/**
 * The governor's Lua scripts. Each runs atomically in Redis, reads the clock with TIME (so the clocks of the
 * worker processes never matter) and touches only keys passed in KEYS, all of one tenant and so of one hash
 * tag: the scripts keep working on Redis Cluster. Bucket and ceiling arithmetic mirrors governor-budget.ts.
 */
import { luaScript, type LuaScript } from '../lib/redis-script.js';
import { DEFAULT_THRESHOLD, WINDOW_BUCKETS, WINDOW_MS } from './governor-budget.js';
import { HISTORY_HOURS } from './governor-history.js';

function script(name: string, body: string): LuaScript {
  return luaScript(`governor-${name}`, `${PRELUDE}\n${body}`);
}

/** Shared head: server time, our rolling-hour usage from the per-minute buckets, the last threshold read. */
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local minute = math.floor(now / 60000)
local oldest = minute - ${WINDOW_BUCKETS - 1}
local function own_usage(budget_key, prune)
  local total = 0
  local kept = {}
  local flat = redis.call('HGETALL', budget_key)
  for i = 1, #flat, 2 do
    local m = tonumber(flat[i])
    local c = tonumber(flat[i + 1]) or 0
    if m == nil or m < oldest then
      if prune then redis.call('HDEL', budget_key, flat[i]) end
    else
      total = total + c
      kept[#kept + 1] = m
      kept[#kept + 1] = c
    end
  end
  return total, kept
end
-- Others' share counts only while the read that measured it is younger than the window.
local function observation(threshold_key, default_threshold)
  local th = redis.call('HMGET', threshold_key, 'threshold', 'external', 'observedAt')
  local threshold = tonumber(th[1])
  local observed_at = tonumber(th[3]) or -1
  local external = 0
  if observed_at >= 0 and now - observed_at < ${WINDOW_MS} then external = tonumber(th[2]) or 0 end
  return threshold or default_threshold, external, observed_at, threshold ~= nil
end
local function keep_alive(key, ttl)
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
-- The hourly history (governor-history.ts): one more of \`kind\` this hour. A field's first count of an hour drops
-- the fields older than the history, so the HASH holds at most ${HISTORY_HOURS} hours per kind.
local hour = math.floor(now / 3600000)
local function count_hour(key, kind)
  if redis.call('HINCRBY', key, kind .. ':' .. hour, 1) == 1 then
    local oldest_hour = hour - ${HISTORY_HOURS - 1}
    local names = redis.call('HKEYS', key)
    for i = 1, #names do
      local h = tonumber(string.match(names[i], ':(%d+)$'))
      if h == nil or h < oldest_hour then redis.call('HDEL', key, names[i]) end
    end
  end
  keep_alive(key, ${HISTORY_HOURS * 3_600_000})
end
`;

/**
 * KEYS: slots(endpoint), budget, threshold, slotEndpoints, budgetHours, slotWaiters(endpoint).
 * ARGV: token, slot limit, lease ms, budget fraction, exempt ('1' skips the budget check), endpoint name, attempt
 * (a request that finds the slots busy is counted as waiting on its first attempt only), waiter id (one per
 * acquire call), waiter expiry ms, and a cooling token to take back ('' for none; only ever on attempt 0, before the
 * caller can have been listed as waiting).
 * Budget first (fail fast even while slots are busy), then the slot; the request is counted only when both pass.
 * A cooling slot (see COOL) is still in the ZSET, so it counts toward the limit until its short expiry.
 * Taking back (docs/autotask-api.md#thread-headroom): when every slot is held, the process that gave a slot back with a
 * cooling may take the same slot again while it still cools, if nobody waits for a slot of the endpoint (a free slot
 * is always taken first: nothing to wait out). The caller then waits out the cooling itself before sending, so no
 * fourth thread is ever asked for; nobody waiting is passed over, because a caller refused here is listed in
 * slotWaiters (until its expiry, renewed at each try) and stops every take-back.
 * Replies: {'ok', now, used, ceiling, observedAt, taken back 1|0} · {'busy', now, held, ceiling, observedAt, earliestExpiry}
 *        · {'budget', now, used, ceiling, observedAt, external, minute1, count1, minute2, count2, …}
 * earliestExpiry is when the first slot frees by itself: a cooling one's end, or a live lease's (far off, renewed).
 */
export const ACQUIRE = script('acquire', `
local lease = tonumber(ARGV[3])
local own, kept = own_usage(KEYS[2], true)
local threshold, external, observed_at = observation(KEYS[3], ${DEFAULT_THRESHOLD})
local ceiling = math.max(0, math.floor(tonumber(ARGV[4]) * threshold + 1e-9))
local used = own + external
if ARGV[5] ~= '1' and used >= ceiling then
  if ARGV[7] ~= '0' then redis.call('ZREM', KEYS[6], ARGV[8]) end
  count_hour(KEYS[5], 'b')
  local reply = {'budget', now, used, ceiling, observed_at, external}
  for i = 1, #kept do reply[#reply + 1] = kept[i] end
  return reply
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local token = ARGV[1]
local taken = 0
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[2]) then
  local function nobody_waits()
    redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
    return redis.call('ZCARD', KEYS[6]) == 0
  end
  if ARGV[10] ~= '' and redis.call('ZSCORE', KEYS[1], ARGV[10]) ~= false and nobody_waits() then
    token = ARGV[10]
    taken = 1
  else
    if ARGV[7] == '0' then count_hour(KEYS[5], 'w') end
    redis.call('ZADD', KEYS[6], now + tonumber(ARGV[9]), ARGV[8])
    keep_alive(KEYS[6], tonumber(ARGV[9]) + 1000)
    local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {'busy', now, held, ceiling, observed_at, tonumber(first[2]) or now}
  end
end
-- Only a caller refused before (attempt > 0) was ever listed as waiting.
if ARGV[7] ~= '0' then redis.call('ZREM', KEYS[6], ARGV[8]) end
redis.call('ZADD', KEYS[1], now + lease, token)
keep_alive(KEYS[1], lease + 1000)
redis.call('HINCRBY', KEYS[2], minute, 1)
keep_alive(KEYS[2], ${WINDOW_MS + 2 * 60_000})
redis.call('SADD', KEYS[4], ARGV[6])
keep_alive(KEYS[4], 86400000)
count_hour(KEYS[5], 'r')
return {'ok', now, used + 1, ceiling, observed_at, taken}
`);

/**
 * Extends a live lease (a holder that is still running never loses its slot). KEYS: slots(endpoint).
 * ARGV: token, lease ms. A lease that already expired is not revived: its
 * slot may have been handed to someone else. Reply: 1 renewed, 0 lost.
 */
export const RENEW = script('renew', `
local lease = tonumber(ARGV[2])
local expiry = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if expiry == nil or expiry <= now then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[1])
keep_alive(KEYS[1], lease + 1000)
return 1
`);

/**
 * Gives a slot back after its answer, keeping it counted for a short cooling (docs/autotask-api.md#thread-headroom):
 * Autotask frees its thread a little after answering, so the slot stays in the ZSET with its expiry moved to
 * now + cooling instead of being removed, and the next acquire after that expiry finds it gone. The cooling learnt
 * from thread-limit 429s (LEARN_COOLING) adds what it holds beyond the configured one. A token no longer held
 * (lease expired, already released) is left alone. KEYS: slots(endpoint), cooling. ARGV: token, cooling ms left
 * of the configured one, the configured one (0 and nothing learnt: removed at once). Reply: {1, cooling ms applied}
 * released, {0, 0} not held.
 */
export const COOL = script('cool', `
local learnt = tonumber(redis.call('HGET', KEYS[2], 'ms')) or 0
local cool = tonumber(ARGV[2]) + math.max(0, learnt - tonumber(ARGV[3]))
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then return {0, 0} end
if cool <= 0 then redis.call('ZREM', KEYS[1], ARGV[1]) return {1, 0} end
redis.call('ZADD', KEYS[1], 'XX', now + cool, ARGV[1])
return {1, cool}
`);

/**
 * A thread-limit 429 arrived although every slot cooled: the server frees threads later than the cooling allows.
 * The tenant's learnt cooling doubles (from the configured one, at least ARGV[3]), at most once per ARGV[5] ms so a
 * burst of 429s from one moment counts once, up to ARGV[2] or twice the configured one; it expires ARGV[4] ms after
 * the last 429.
 * KEYS: cooling. ARGV: configured ms, cap ms, floor ms, expiry ms, gap ms. Reply: {cooling now ms, 1 if it grew}.
 */
export const LEARN_COOLING = script('learn-cooling', `
local h = redis.call('HMGET', KEYS[1], 'ms', 'at')
local ms = math.max(tonumber(h[1]) or 0, tonumber(ARGV[1]))
local at = tonumber(h[2]) or -1
local grew = 0
if at < 0 or now - at >= tonumber(ARGV[5]) then
  ms = math.min(math.max(tonumber(ARGV[2]), 2 * tonumber(ARGV[1])), math.max(ms * 2, tonumber(ARGV[3])))
  redis.call('HSET', KEYS[1], 'ms', ms, 'at', now)
  grew = 1
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return {ms, grew}
`);

/**
 * Stores a ThresholdInformation read. KEYS: budget, threshold. ARGV: externalRequestThreshold,
 * requestThresholdTimeframe, currentTimeframeRequestCount. The others' share is the count minus our own
 * rolling-hour usage at this moment. Reply: {now, external}.
 */
export const OBSERVE = script('observe', `
local own = own_usage(KEYS[1], false)
local count = tonumber(ARGV[3])
local external = math.max(0, count - own)
redis.call('HSET', KEYS[2], 'threshold', ARGV[1], 'timeframe', ARGV[2], 'count', ARGV[3], 'own', own,
  'external', external, 'observedAt', now)
redis.call('PEXPIRE', KEYS[2], 86400000)
return {now, external}
`);

/**
 * Read-only figures for /metrics. KEYS: budget, threshold, then the slots key of each endpoint.
 * ARGV: budget fraction. Reply: {now, own, external, threshold or -1, ceiling, observedAt, held1, held2, …}.
 */
export const SNAPSHOT = script('snapshot', `
local own = own_usage(KEYS[1], false)
local threshold, external, observed_at, known = observation(KEYS[2], ${DEFAULT_THRESHOLD})
local ceiling = math.max(0, math.floor(tonumber(ARGV[1]) * threshold + 1e-9))
local reply = {now, own, external, known and threshold or -1, ceiling, observed_at}
for i = 3, #KEYS do reply[#reply + 1] = redis.call('ZCOUNT', KEYS[i], '(' .. now, '+inf') end
return reply
`);

/** One answer 429 from Autotask (thread limit or hourly threshold), for the hourly history. KEYS: budgetHours. */
export const NOTE_THROTTLED = script('note-throttled', `
count_hour(KEYS[1], 'q')
return 1
`);

/** The hourly history as it stands. KEYS: budgetHours. Reply: {now, field1, count1, field2, count2, …}. */
export const HISTORY = script('history', `
local reply = {now}
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat do reply[#reply + 1] = flat[i] end
return reply
`);
