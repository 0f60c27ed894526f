/**
 * Issue 18, trap 6: REDIS_URL is honoured end to end. A run pointed at another database of the same Redis leaves
 * the test's own database untouched (the suite once leaked ~255 keys into db 0 when run with REDIS_URL=…/10).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/run.js';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { sandboxEnv } from '../../helpers/harness.js';
import { cleanPrefix, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

/** The same server, the next database (16 is Redis' default count). */
function otherDatabase(url: string): string {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace('/', '') || '0');
  parsed.pathname = `/${(db + 1) % 16}`;
  return parsed.toString();
}

async function keysWith(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  try {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      count += keys.length;
      cursor = next;
    } while (cursor !== '0');
    return count;
  } finally {
    await redis.quit();
  }
}

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
    const out: string[] = [];
    const sink = { write: (s: string) => { out.push(s); return true; } };
    const code = await runCommand(['sync-tickets'], { stdout: sink, stderr: sink, loadOptions: {
      env: { ...sandboxEnv(sandbox), REDIS_URL: elsewhere, LOG_LEVEL: 'silent' }, file: { queue: { prefix } } } });
    expect(code, out.join('')).toBe(0);
    expect(await keysWith(elsewhere, prefix)).toBeGreaterThan(0);
    expect(await keysWith(REDIS_URL, prefix)).toBe(0);
  });
});
