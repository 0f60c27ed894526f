/** Real Redis for integration tests: one connection per test file, a unique key prefix per test, own keys cleaned. */
import { randomUUID } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
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
 * hoping it did. Counts only commands sent after `start()` resolved. A plain socket rather than ioredis: MONITOR
 * output is one `+<time> [db addr] "cmd" "arg"…` line per command, and ioredis' monitor mode can throw
 * "Command queue state error" on a busy shared Redis.
 */
export class RedisCommandWatch {
  private socket: Socket | undefined;
  /** MONITOR's lines naming the prefix, as received. */
  private readonly lines: string[] = [];
  private buffered = '';

  /** `db`: count only commands sent to that database (MONITOR sees every database of the server). */
  constructor(private readonly prefix: string, private readonly db?: number) {}

  async start(): Promise<this> {
    const url = new URL(REDIS_URL);
    const socket = createConnection({ host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) });
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // a test that needs the watch fails on its own wait
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('data', (chunk: string) => {
        this.buffered += chunk;
        let end: number;
        while ((end = this.buffered.indexOf('\r\n')) >= 0) {
          const line = this.buffered.slice(0, end);
          this.buffered = this.buffered.slice(end + 2);
          if (line === '+OK') { resolve(); continue; }
          if (line.startsWith('-')) { reject(new Error(`MONITOR refused: ${line}`)); continue; }
          if (this.db !== undefined && !line.includes(` [${this.db} `)) continue;
          if (line.includes(this.prefix)) this.lines.push(line);
        }
      });
      const auth = url.password ? `AUTH ${url.username ? `${decodeURIComponent(url.username)} ` : ''}${decodeURIComponent(url.password)}\r\n` : '';
      socket.write(`${auth}MONITOR\r\n`);
    });
    return this;
  }

  /** Commands seen so far whose name (case-insensitive) is one of `names`, or all when none given. */
  count(...names: string[]): number {
    const wanted = new Set(names.map((name) => name.toLowerCase()));
    return this.lines.map((line) => /\] "([^"]+)"/.exec(line)?.[1]?.toLowerCase() ?? '')
      .filter((name) => wanted.size === 0 || wanted.has(name)).length;
  }

  /** True once a command naming `key` was seen (MONITOR is ordered: every command sent before it was seen too). */
  seenKey(key: string): boolean {
    return this.lines.some((line) => line.includes(key));
  }

  /** Forgets what was seen so far. */
  reset(): void {
    this.lines.length = 0;
  }

  stop(): void {
    this.socket?.destroy();
  }
}
