/**
 * Which Autotask webhook deliveries this tenant has already accepted: one mark per delivery identity
 * (src/rules/webhook-delivery.ts: Guid + entity + Id + SequenceNumber — the Guid alone names the webhook), set with
 * NX and an expiry, so the first receipt claims it and a retry or replay within the window finds it. The identity
 * is hashed into the key: it holds the sender's Guid and entity name, which are not key-safe text.
 * Deactivated notices are kept per webhook Guid, bounded in number and age (below).
 */
import { createHash } from 'node:crypto';
import type { RedisConnection } from '../lib/redis-connection.js';
import { luaScript, runScript } from '../lib/redis-script.js';
import { tenantKeys } from './keys.js';

/** A Deactivated notice: Autotask switched a webhook off (after 25 failed callouts in a row). */
export interface DeactivationNotice {
  guid: string | null;
  id: number | null;
  eventTime: string | null;
  receivedAt: string;
  /** Autotask does not promise a signature on these notices; false = recorded without one. */
  signed: boolean;
}

/**
 * At most this many webhooks' notices are kept, each for NOTICE_MAX_AGE_DAYS: an unsigned notice is cheap to forge,
 * so storage stays bounded — and a flood of them must not crowd out what ops need to see. When full, a new notice
 * evicts the oldest unsigned one; only a signed notice may evict a signed one (the oldest), so forged notices can
 * never push out one Autotask signed. Every notice is logged when it arrives, kept or not.
 */
export const MAX_NOTICES = 50;
export const NOTICE_MAX_AGE_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * KEYS[1] the notices hash; ARGV: field, notice JSON, signed (1/0), cutoff ISO (older notices expire), max.
 * Returns 1 when the notice was kept. receivedAt is an ISO string from toISOString, so strings compare as times.
 */
const RECORD_NOTICE = luaScript('webhook-record-deactivation', `
local key, field, value, signed, cutoff, max = KEYS[1], ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4], tonumber(ARGV[5])
local all = redis.call('HGETALL', key)
local count, existing = 0, nil
local oldU, oldUAt, oldS, oldSAt = nil, nil, nil, nil
for i = 1, #all, 2 do
  local f = all[i]
  local ok, n = pcall(cjson.decode, all[i + 1])
  if not ok or type(n) ~= 'table' or type(n.receivedAt) ~= 'string' or n.receivedAt < cutoff then
    redis.call('HDEL', key, f)
  elseif f == field then
    existing = n
  else
    count = count + 1
    if n.signed == true then
      if oldSAt == nil or n.receivedAt < oldSAt then oldS, oldSAt = f, n.receivedAt end
    elseif oldUAt == nil or n.receivedAt < oldUAt then oldU, oldUAt = f, n.receivedAt end
  end
end
if existing ~= nil and existing.signed == true and not signed then return 0 end
if existing == nil and count >= max then
  if oldU ~= nil then redis.call('HDEL', key, oldU)
  elseif signed and oldS ~= nil then redis.call('HDEL', key, oldS)
  else return 0 end
end
redis.call('HSET', key, field, value)
return 1
`);

export interface WebhookDeliveries {
  /** True the first time this delivery identity is seen within `ttlSeconds`; false for a repeat. */
  firstSeen(identity: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Records (or refreshes) the notice of one webhook; false when it was not kept (the bound is reached and it may
   * evict nothing, or an unsigned notice would replace this webhook's signed one).
   */
  recordDeactivation(notice: DeactivationNotice): Promise<boolean>;
  /**
   * A signed delivery of webhook `guid` was accepted with this EventTime: the webhook runs again, so a notice of its
   * deactivation at or before that time is cleared. True when one was.
   */
  clearDeactivation(guid: string, eventTime: string): Promise<boolean>;
  /** The notices younger than NOTICE_MAX_AGE_DAYS at `now`, oldest first. */
  deactivations(now?: Date): Promise<DeactivationNotice[]>;
}

const fieldOf = (guid: string | null): string => (guid ?? 'no-guid').slice(0, 100);

export function createWebhookDeliveries(redis: RedisConnection, keyPrefix: string, tenantId: string): WebhookDeliveries {
  const keys = tenantKeys(keyPrefix, tenantId);
  return {
    async firstSeen(identity, ttlSeconds) {
      const digest = createHash('sha256').update(identity).digest('hex').slice(0, 40);
      return (await redis.set(keys.webhookSeen(digest), '1', 'EX', ttlSeconds, 'NX')) !== null;
    },
    async recordDeactivation(notice) {
      const cutoff = new Date(Date.parse(notice.receivedAt) - NOTICE_MAX_AGE_DAYS * DAY_MS).toISOString();
      const kept = await runScript(redis, RECORD_NOTICE, [keys.webhookDeactivations],
        [fieldOf(notice.guid), JSON.stringify(notice), notice.signed ? '1' : '0', cutoff, MAX_NOTICES]);
      return kept === 1;
    },
    async clearDeactivation(guid, eventTime) {
      const field = fieldOf(guid);
      const raw = await redis.hget(keys.webhookDeactivations, field);
      if (raw === null) return false;
      const notice = JSON.parse(raw) as DeactivationNotice;
      // A late retry of an event from before the switch-off proves nothing about now.
      const at = Date.parse(notice.eventTime ?? notice.receivedAt);
      if (Number.isFinite(at) && Date.parse(eventTime) < at) return false;
      return (await redis.hdel(keys.webhookDeactivations, field)) === 1;
    },
    async deactivations(now = new Date()) {
      const cutoff = now.getTime() - NOTICE_MAX_AGE_DAYS * DAY_MS;
      const all = await redis.hvals(keys.webhookDeactivations);
      return all.map((v) => JSON.parse(v) as DeactivationNotice).filter((n) => Date.parse(n.receivedAt) >= cutoff)
        .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : 1));
    },
  };
}
