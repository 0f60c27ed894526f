/** Real Redis for integration tests: one connection per test file, a unique key prefix per test, own keys cleaned. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function connectRedis(): Redis {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  // A test that fails on Redis fails on the command it sent; the event would only add console noise.
  redis.on('error', () => undefined);
  return redis;
}

export function uniquePrefix(label = 'test'): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key that contains the prefix (keys are hash-tagged `{prefix:tenant}:…`). */
export async function cleanPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
