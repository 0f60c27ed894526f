/**
 * Which Autotask webhook deliveries this tenant has already accepted: one mark per delivery identity
 * (src/rules/webhook-delivery.ts: Guid + entity + Id + SequenceNumber — the Guid alone names the webhook), set with
 * NX and an expiry, so the first receipt claims it and a retry or replay within the window finds it. The identity
 * is hashed into the key: it holds the sender's Guid and entity name, which are not key-safe text.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { tenantKeys } from './keys.js';

export interface WebhookDeliveries {
  /** True the first time this delivery identity is seen within `ttlSeconds`; false for a repeat. */
  firstSeen(identity: string, ttlSeconds: number): Promise<boolean>;
}

export function createWebhookDeliveries(redis: Redis, keyPrefix: string, tenantId: string): WebhookDeliveries {
  const keys = tenantKeys(keyPrefix, tenantId);
  return {
    async firstSeen(identity, ttlSeconds) {
      const digest = createHash('sha256').update(identity).digest('hex').slice(0, 40);
      return (await redis.set(keys.webhookSeen(digest), '1', 'EX', ttlSeconds, 'NX')) !== null;
    },
  };
}
