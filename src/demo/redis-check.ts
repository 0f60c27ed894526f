/** The demo never hangs on a missing Redis: one quick connection attempt, then one clear line on how to get one. */
import { describeRedis, type RedisSettings } from '../../config/redis.js';
import { AppError } from '../lib/errors.js';
import { createRedis } from '../runtime/redis.js';

export class RedisUnavailableError extends AppError {
  constructor(where: string, reason: string) {
    super('REDIS_UNAVAILABLE', `Redis is not answering at ${where} (${reason}). Start one: ` +
      '`sudo apt-get install redis-server && redis-server --daemonize yes` (or `docker compose up -d redis`), ' +
      'or point REDIS_URL (or REDIS_CLUSTER_NODES / REDIS_SENTINELS) at yours.');
  }
}

/** A PING through the same connection factory every command uses (so a cluster or sentinel setting is honoured). */
export async function assertRedisAnswers(settings: RedisSettings | string, timeoutMs = 1_500): Promise<void> {
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
