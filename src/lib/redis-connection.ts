/**
 * The Redis connection every layer is handed: one node (or a Sentinel-found master, which ioredis also presents
 * as `Redis`) or a Redis Cluster. Both expose the same commands, MULTI, pipelines and EVAL/EVALSHA; a cluster
 * routes each call by its keys' hash slot, which is why every multi-key call stays inside one hash tag
 * (src/store/keys.ts, src/runtime/queues.ts).
 */
import type { Cluster, Redis } from 'ioredis';

export type RedisConnection = Redis | Cluster;
