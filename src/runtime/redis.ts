/**
 * The Redis connections of one process. BullMQ's blocking worker connection requires
 * `maxRetriesPerRequest: null` (a blocked BRPOPLPUSH must not be failed by ioredis' retry limit), so every
 * connection the runtime opens is made here with that setting. Because such a connection waits for Redis
 * forever, every command first asks `assertRedisAnswers` (one quick attempt) and fails in one line when Redis
 * is not there, instead of hanging.
 */
import { Redis } from 'ioredis';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

/** While Redis is down, ioredis reports every reconnect attempt; one log line per this interval is enough. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/** How to get a Redis, for the one-line refusal (README "Quick start" shows the same commands). */
export const START_REDIS_HINT = 'start one with `docker compose up -d redis` or ' +
  '`sudo apt-get install redis-server && redis-server --daemonize yes`, or point REDIS_URL at yours';

/** The URL without its password, fit for a message or a log line. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'REDIS_URL';
  }
}

export class RedisUnavailableError extends AppError {
  constructor(url: string, reason: string) {
    super('REDIS_UNAVAILABLE', `Redis is not answering at ${describeRedisUrl(url)} (${reason}); ${START_REDIS_HINT}.`,
      { retryable: true });
  }
}

/** One connection attempt and a PING, bounded by `timeoutMs`; RedisUnavailableError otherwise. */
export async function assertRedisAnswers(url: string, timeoutMs = 2_000): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than the "Connection is closed." that follows it.
  let socketError: string | undefined;
  redis.on('error', (error: Error) => { socketError ??= error.message; });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new RedisUnavailableError(url, (socketError ?? (error as Error).message).split('\n')[0] || 'no answer');
  } finally {
    redis.disconnect();
  }
}

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

/**
 * Closes a connection politely, falling back to a hard disconnect when Redis no longer answers: QUIT on a
 * connection that is not ready would wait in the offline queue for ever (maxRetriesPerRequest: null).
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') { redis.disconnect(); return; }
  const timer = new AbortController();
  const gaveUp = new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 2_000);
    timer.signal.addEventListener('abort', () => clearTimeout(t));
  });
  try {
    await Promise.race([redis.quit(), gaveUp]);
  } catch {
    // fall through to disconnect
  } finally {
    timer.abort();
    if ((redis.status as string) !== 'end') redis.disconnect();
  }
}
