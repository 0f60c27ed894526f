/**
 * The Redis connections of one process. BullMQ's blocking worker connection requires
 * `maxRetriesPerRequest: null` (a blocked BRPOPLPUSH must not be failed by ioredis' retry limit), so every
 * connection the runtime opens is made here with that setting.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';

/** While Redis is down, ioredis reports every reconnect attempt; one log line per this interval is enough. */
const ERROR_LOG_INTERVAL_MS = 5_000;

export function createRedis(url: string, connectionName = 'autotask-sync', logger?: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName, lazyConnect: false });
  // Without a listener ioredis prints "Unhandled error event" to the console; it reconnects by itself either way.
  let last = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - last < ERROR_LOG_INTERVAL_MS) return;
    last = Date.now();
    logger?.warn({ connection: connectionName, err: error.message }, 'redis connection error; reconnecting');
  });
  return redis;
}

/** Closes a connection politely, falling back to a hard disconnect when Redis no longer answers. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
