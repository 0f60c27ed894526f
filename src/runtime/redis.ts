/**
 * The Redis connections of one process, whatever the deployment runs: one node (REDIS_URL), a Redis Cluster
 * (REDIS_CLUSTER_NODES) or a master found through Sentinel (REDIS_SENTINELS). Every command (worker, run,
 * trigger, dlq, demo) opens its connection here, so all of them follow the same settings.
 *
 * BullMQ's blocking worker connection requires `maxRetriesPerRequest: null` (a blocked BZPOPMIN must not be
 * failed by ioredis' retry limit), so every connection is made with that setting; on a cluster it goes into
 * `redisOptions`, which ioredis applies to each node connection.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { describeRedis, type RedisSettings } from '../../config/redis.js';
import type { Logger } from '../lib/logger.js';
import type { RedisConnection } from '../lib/redis-connection.js';

/** While Redis is down, ioredis reports every reconnect attempt; one log line per this interval is enough. */
const ERROR_LOG_INTERVAL_MS = 30_000;
const FAIL_FAST_CONNECT_MS = 1_500;

export interface CreateRedisOptions {
  /** Give up at the first failed connection instead of reconnecting (a start-up probe). */
  failFast?: boolean;
}

/** The ioredis options one node connection gets (shared by the single, cluster-node and sentinel cases). */
function nodeOptions(settings: RedisSettings, connectionName: string, failFast: boolean): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    connectionName,
    // A probe (the demo's start check) reports the first refusal instead of reconnecting forever.
    ...(failFast ? { retryStrategy: () => null, connectTimeout: FAIL_FAST_CONNECT_MS } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: {} } : {}),
  };
}

export function createRedis(settings: RedisSettings | string, connectionName = 'autotask-sync', logger?: Logger,
  options: CreateRedisOptions = {}): RedisConnection {
  const resolved: RedisSettings = typeof settings === 'string'
    ? { mode: 'single', url: settings, tls: settings.startsWith('rediss://') } : settings;
  const redis = open(resolved, connectionName, options.failFast === true);
  // Without a listener ioredis prints "Unhandled error event" to the console; it reconnects by itself either way.
  let last = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - last < ERROR_LOG_INTERVAL_MS) return;
    last = Date.now();
    logger?.warn({ connection: connectionName, redis: describeRedis(resolved), err: error.message }, 'redis connection error; reconnecting');
  });
  // A sentinel switch is worth one line: it explains a short pause in the jobs.
  redis.on('+switch-master', () => logger?.warn({ connection: connectionName }, 'redis master switched (sentinel failover)'));
  return redis;
}

function open(settings: RedisSettings, connectionName: string, failFast: boolean): RedisConnection {
  const options = nodeOptions(settings, connectionName, failFast);
  switch (settings.mode) {
    case 'single':
      // The URL may carry its own password and rediss://; REDIS_PASSWORD / REDIS_TLS add to it.
      return new Redis(settings.url, { ...options, lazyConnect: false });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: options,
        // A MOVED/ASK during a resharding or failover is followed; a slot whose master is down is retried until
        // the cluster promotes its replica (ioredis' default of 16 redirections is kept).
        enableReadyCheck: true,
        // Commands are queued while the slot map is (re)loaded rather than failed.
        enableOfflineQueue: true,
        ...(failFast ? { clusterRetryStrategy: () => null } : {}),
      };
      return new Cluster(settings.nodes, clusterOptions);
    }
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: settings.sentinels,
        name: settings.name,
        ...(settings.sentinelPassword ? { sentinelPassword: settings.sentinelPassword } : {}),
        ...(settings.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        // After a failover ioredis asks the sentinels again and connects to the new master; a write that
        // reached the old master after its demotion fails with READONLY, which is a reason to reconnect.
        reconnectOnError: (error) => error.message.startsWith('READONLY'),
        // Re-ask the sentinels about the master when a connection to it fails, instead of retrying the dead one.
        failoverDetector: true,
        ...(failFast ? { sentinelRetryStrategy: () => null } : {}),
      });
  }
}

/**
 * Closes a connection politely, falling back to a hard disconnect when Redis no longer answers: QUIT on a
 * connection that is not ready would wait in the offline queue for ever (maxRetriesPerRequest: null).
 */
export async function closeRedis(redis: RedisConnection): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') { redis.disconnect(); return; }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([redis.quit(), new Promise<void>((resolve) => { timer = setTimeout(resolve, 2_000); })]);
  } catch {
    // fall through to disconnect
  } finally {
    clearTimeout(timer);
    if ((redis.status as string) !== 'end') redis.disconnect();
  }
}
