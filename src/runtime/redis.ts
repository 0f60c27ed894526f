/**
 * The Redis connections of one process. BullMQ's blocking worker connection requires
 * `maxRetriesPerRequest: null` (a blocked BRPOPLPUSH must not be failed by ioredis' retry limit), so every
 * connection the runtime opens is made here with that setting.
 */
import { Redis } from 'ioredis';

export function createRedis(url: string, connectionName = 'autotask-sync'): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectionName, lazyConnect: false });
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
