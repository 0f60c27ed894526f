/** The demo never hangs on a missing Redis: one quick connection attempt, then one clear line on how to get one. */
import { Redis } from 'ioredis';
import { AppError } from '../lib/errors.js';

export class RedisUnavailableError extends AppError {
  constructor(url: string, reason: string) {
    super('REDIS_UNAVAILABLE', `Redis is not answering at ${url} (${reason}). Start one: ` +
      '`sudo apt-get install redis-server && redis-server --daemonize yes` (or `docker compose up -d redis`), ' +
      'or point REDIS_URL at yours.');
  }
}

export async function assertRedisAnswers(url: string, timeoutMs = 1_500): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0,
    retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new RedisUnavailableError(url, (error as Error).message.split('\n')[0] ?? 'no answer');
  } finally {
    redis.disconnect();
  }
}
