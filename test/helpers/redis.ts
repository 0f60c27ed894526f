/** Real Redis for integration tests: one connection per test file, a unique key prefix per test, own keys cleaned. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function connectRedis(): Redis {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  // A test that fails on Redis fails on the command it sent; the event would only add console noise.
  redis.on('error', () => undefined);
  return redis;
}

export function uniquePrefix(label = 'test'): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key that contains the prefix (keys are hash-tagged `{prefix:tenant}:…`). */
export async function cleanPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * Watches the commands Redis receives that mention `prefix` (in a key or an argument), through a MONITOR
 * connection, so a test can wait for "the waiter has asked (and been refused) twice" instead of sleeping and
 * hoping it did. Counts only commands sent after `start()` resolved.
 */
export class RedisCommandWatch {
  private monitor: (Redis & { disconnect(): void }) | undefined;
  private readonly seen: string[][] = [];

  constructor(private readonly prefix: string) {}

  async start(): Promise<this> {
    // monitor() opens a connection of its own; the lazy one it is called on never connects.
    const monitor = await new Redis(REDIS_URL, { lazyConnect: true }).monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => arg.includes(this.prefix))) this.seen.push(args);
    });
    this.monitor = monitor as Redis & { disconnect(): void };
    return this;
  }

  /** Commands seen so far whose name (case-insensitive) is one of `names`, or all when none given. */
  count(...names: string[]): number {
    const wanted = new Set(names.map((name) => name.toLowerCase()));
    return this.seen.filter((args) => wanted.size === 0 || wanted.has(String(args[0]).toLowerCase())).length;
  }

  /** Forgets what was seen so far. */
  reset(): void {
    this.seen.length = 0;
  }

  stop(): void {
    this.monitor?.disconnect();
  }
}
