/**
 * Which Autotask webhook deliveries this tenant has already accepted. Autotask retries a delivery it thinks
 * failed, so the same Guid can arrive several times; the first one wins, atomically
 * (SET NX), and is remembered for a day — Autotask's own retries end within minutes.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import { tenantKeys } from './keys.js';

const SEEN_TTL_SECONDS = 24 * 3600;

export interface WebhookDeliveries {
  /** True the first time this delivery id is seen; false for a repeat. */
  firstSeen(deliveryId: string): Promise<boolean>;
}

export function createWebhookDeliveries(redis: RedisConnection, keyPrefix: string, tenantId: string): WebhookDeliveries {
  const keys = tenantKeys(keyPrefix, tenantId);
  return {
    async firstSeen(deliveryId) {
      return (await redis.set(keys.webhookSeen(deliveryId), '1', 'EX', SEEN_TTL_SECONDS, 'NX')) !== null;
    },
  };
}
