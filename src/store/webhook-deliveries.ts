/**
 * Which Autotask webhook deliveries this tenant has already accepted: one mark per delivery identity
 * (src/rules/webhook-delivery.ts: Guid + entity + Id + SequenceNumber — the Guid alone names the webhook), set with
 * NX and an expiry, so the first receipt claims it and a retry or replay within the window finds it. The identity
 * is hashed into the key: it holds the sender's Guid and entity name, which are not key-safe text.
 */
import { createHash } from 'node:crypto';
import type { RedisConnection } from '../lib/redis-connection.js';
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

/** At most this many webhooks' notices are kept: an unsigned notice is cheap to forge, so storage stays bounded. */
const MAX_NOTICES = 50;

export interface WebhookDeliveries {
  /** True the first time this delivery identity is seen within `ttlSeconds`; false for a repeat. */
  firstSeen(identity: string, ttlSeconds: number): Promise<boolean>;
  /** Records (or refreshes) the notice of one webhook; false when the bound is reached and it was not kept. */
  recordDeactivation(notice: DeactivationNotice): Promise<boolean>;
  deactivations(): Promise<DeactivationNotice[]>;
}

export function createWebhookDeliveries(redis: RedisConnection, keyPrefix: string, tenantId: string): WebhookDeliveries {
  const keys = tenantKeys(keyPrefix, tenantId);
  return {
    async firstSeen(identity, ttlSeconds) {
      const digest = createHash('sha256').update(identity).digest('hex').slice(0, 40);
      return (await redis.set(keys.webhookSeen(digest), '1', 'EX', ttlSeconds, 'NX')) !== null;
    },
    async recordDeactivation(notice) {
      const field = (notice.guid ?? 'no-guid').slice(0, 100);
      const known = await redis.hexists(keys.webhookDeactivations, field);
      if (!known && await redis.hlen(keys.webhookDeactivations) >= MAX_NOTICES) return false;
      await redis.hset(keys.webhookDeactivations, field, JSON.stringify(notice));
      return true;
    },
    async deactivations() {
      const all = await redis.hvals(keys.webhookDeactivations);
      return all.map((v) => JSON.parse(v) as DeactivationNotice).sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : 1));
    },
  };
}
