/**
 * The webhook de-duplication marks of one tenant: one key per delivery identity (src/rules/webhook-delivery.ts),
 * set with NX and an expiry, so the first receipt claims it and a retry or replay within the window finds it.
 * The identity is hashed into the key: it holds the sender's Guid and entity name, which are not key-safe text.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { tenantKeys } from './keys.js';

export class WebhookDeliveries {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly tenantId: string) {}

  /** True when this call is the first to see the delivery; false when it was seen within `ttlSeconds`. */
  async claim(identity: string, ttlSeconds: number): Promise<boolean> {
    const digest = createHash('sha256').update(identity).digest('hex').slice(0, 40);
    const key = tenantKeys(this.prefix, this.tenantId).webhookSeen(digest);
    return (await this.redis.set(key, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }
}
