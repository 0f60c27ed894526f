/**
 * Every command checks Redis before it starts (a connection made for BullMQ waits for Redis for ever): one quick
 * attempt through the same connection factory (so a cluster or sentinel setting is honoured), then one line that
 * says how to get a Redis.
 */
import { describeRedis, type RedisSettings } from '../../config/redis.js';
import { AppError } from '../lib/errors.js';
import { createRedis } from './redis.js';

export class RedisUnavailableError extends AppError {
  constructor(where: string, reason: string) {
    super('REDIS_UNAVAILABLE', `Redis is not answering at ${where} (${reason}); start one with ` +
      '`docker compose up -d redis` or `sudo apt-get install redis-server && redis-server --daemonize yes`, ' +
      'or point REDIS_URL (or REDIS_CLUSTER_NODES / REDIS_SENTINELS) at yours.', { retryable: true });
  }
}

export async function assertRedisAnswers(settings: RedisSettings | string, timeoutMs = 2_000): Promise<void> {
  const redis = createRedis(settings, 'autotask-sync-check', undefined, { failFast: true });
  const where = typeof settings === 'string' ? settings : describeRedis(settings);
  let timer: NodeJS.Timeout | undefined;
  // The connection's own error (ECONNREFUSED…) says more than the command's "Connection is closed".
  const last: { error?: Error } = {};
  redis.on('error', (error: Error) => { last.error = error; });
  try {
    await Promise.race([redis.ping(), new Promise((_, reject) => {
      timer = setTimeout(() => reject(last.error ?? new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    })]);
  } catch (error) {
    throw new RedisUnavailableError(where, (last.error ?? error as Error).message.split('\n')[0] ?? 'no answer');
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
