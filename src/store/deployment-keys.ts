/**
 * Every key of one deployment (its queues under `{prefix}` and its tenants under `{prefix:tenant}`), for a
 * deployment that owns its prefix outright and starts from nothing each time (the demo).
 */
import type { Redis } from 'ioredis';

export async function deleteDeploymentKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
    if (keys.length) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
