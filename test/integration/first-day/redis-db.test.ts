/**
 * Issue 18, trap 6: REDIS_URL is honoured end to end. A run pointed at another database of the same Redis leaves
 * the test's own database untouched (the suite once leaked ~255 keys into db 0 when run with REDIS_URL=…/10), and
 * nothing of it falls back to the shared default prefix (`autotask-sync`: one helper once replaced the unique
 * prefix with it), in either database. No other test uses the default prefix, so none should appear at all.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/run.js';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { sandboxEnv } from '../../helpers/harness.js';
import { cleanPrefix, REDIS_URL, RedisCommandWatch, uniquePrefix } from '../../helpers/redis.js';

/** The same server, the next database (16 is Redis' default count). */
function otherDatabase(url: string): string {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace('/', '') || '0');
  parsed.pathname = `/${(db + 1) % 16}`;
  return parsed.toString();
}

async function keysMatching(url: string, pattern: string): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found.sort();
  } finally {
    await redis.quit();
  }
}
const keysWith = async (url: string, prefix: string): Promise<number> => (await keysMatching(url, `*${prefix}*`)).length;

/** Keys under the default queue prefix: the queues' `{autotask-sync}` and the tenants' `{autotask-sync:<tenant>}` tags. */
const DEFAULT_TAGS = ['{autotask-sync}', '{autotask-sync:'];
async function defaultPrefixKeys(url: string): Promise<string[]> {
  // One SCAN per tag: a single glob for both would need a [}:] class, which reads worse than two plain patterns.
  return [...new Set((await Promise.all(DEFAULT_TAGS.map((tag) => keysMatching(url, `*${tag}*`)))).flat())].sort();
}
const dbOf = (url: string): number => Number(new URL(url).pathname.replace('/', '') || '0');

let sandbox: SandboxHandle;
const prefix = uniquePrefix('other-db');
const elsewhere = otherDatabase(REDIS_URL);

beforeAll(async () => { sandbox = await startSandbox({ port: 0, scenario: 'demo' }); });
afterAll(async () => {
  await sandbox?.close();
  for (const url of [REDIS_URL, elsewhere]) {
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    await cleanPrefix(redis, prefix);
    await redis.quit();
  }
});

describe('REDIS_URL', () => {
  it('a run pointed at another database writes there and leaves this one untouched', async () => {
    const before = { here: await defaultPrefixKeys(REDIS_URL), elsewhere: await defaultPrefixKeys(elsewhere) };
    // MONITOR catches a default-prefix key written and deleted again during the run, which a snapshot would miss.
    const watches = [REDIS_URL, elsewhere].flatMap((url) => DEFAULT_TAGS.map((tag) => new RedisCommandWatch(tag, dbOf(url))));
    await Promise.all(watches.map((w) => w.start()));
    try {
      const out: string[] = [];
      const sink = { write: (s: string) => { out.push(s); return true; } };
      const code = await runCommand(['sync-tickets'], { stdout: sink, stderr: sink, loadOptions: {
        env: { ...sandboxEnv(sandbox), REDIS_URL: elsewhere, LOG_LEVEL: 'silent' }, file: { queue: { prefix } } } });
      expect(code, out.join('')).toBe(0);
      expect(await keysWith(elsewhere, prefix)).toBeGreaterThan(0);
      expect(await keysWith(REDIS_URL, prefix)).toBe(0);
      expect(watches.map((w) => w.count())).toEqual(watches.map(() => 0));
    } finally {
      for (const w of watches) w.stop();
    }
    expect(await defaultPrefixKeys(REDIS_URL)).toEqual(before.here);
    expect(await defaultPrefixKeys(elsewhere)).toEqual(before.elsewhere);
  });
});
