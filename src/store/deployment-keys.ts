/**
 * Every key of one deployment (its queues under `{prefix}` and its tenants under `{prefix:tenant}`), deleted, for a
 * deployment that owns its prefix outright and starts from nothing each time (the demo, tests). On a Redis Cluster a SCAN
 * sees only the node it runs on, so each master is scanned; keys are deleted in groups of one hash slot,
 * because a multi-key DEL across slots is refused (CROSSSLOT).
 */
import { Cluster } from 'ioredis';
import type { Redis } from 'ioredis';
import type { RedisConnection } from '../lib/redis-connection.js';

/** The SCAN pattern of every key written under `prefix`: the queues' `{prefix}` and each tenant's `{prefix:tenant}`. */
export function deploymentKeyPattern(prefix: string): string {
  return `{${prefix}*`;
}

function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

async function deleteOnNode(node: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    const bySlot = new Map<string, string[]>();
    for (const key of keys) bySlot.set(hashTag(key), [...(bySlot.get(hashTag(key)) ?? []), key]);
    for (const group of bySlot.values()) deleted += await node.del(...group);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

export async function deleteDeploymentKeys(redis: RedisConnection, prefix: string): Promise<number> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let deleted = 0;
  for (const node of nodes) deleted += await deleteOnNode(node, deploymentKeyPattern(prefix));
  return deleted;
}
