/**
 * Governor round trips on this Redis: acquire + release per second, one caller and several concurrent callers
 * (within the 3-slot limit, so no one waits), plus the contended case of more callers than slots.
 * Run: npx tsx test/bench/governor.ts   (uses REDIS_URL or redis://127.0.0.1:6379; cleans its own keys)
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { autotaskSection } from '../../config/sections/autotask.js';
import { createRedisGovernor } from '../../src/autotask/governor.js';
import { tenantKeys } from '../../src/store/keys.js';
import { cleanPrefix } from '../helpers/redis.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-gov-${randomUUID().slice(0, 8)}`;
const settings = autotaskSection.parse({ budgetFraction: 1 });
const redis = new Redis(url);
const governor = createRedisGovernor({ redis, keys: tenantKeys(prefix, 'bench'), tenantId: 'bench', settings });
// A large threshold, so the budget never stops the benchmark.
await governor.observeThreshold({ externalRequestThreshold: 10_000_000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 0 });

async function run(label: string, callers: number, endpoints: number, durationMs: number): Promise<void> {
  let count = 0;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, async (_, i) => {
    const endpoint = `Bench${i % endpoints}`;
    while (performance.now() < until) {
      const lease = await governor.acquire(endpoint);
      await lease.release();
      count += 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(44)} ${Math.round(count / seconds).toString().padStart(7)} acquire+release/s  (${(seconds * 1000 / count * callers).toFixed(3)} ms each)`);
}

try {
  await run('1 caller, 1 endpoint', 1, 1, 2_000);
  await run('3 callers, 1 endpoint (no waiting)', 3, 1, 2_000);
  await run('12 callers, 4 endpoints (3 each, no waiting)', 12, 4, 2_000);
  await run('12 callers, 1 endpoint (contended, polling)', 12, 1, 2_000);
  console.log('snapshot', JSON.stringify(await governor.snapshot()));
} finally {
  await governor.close();
  await cleanPrefix(redis, prefix);
  await redis.quit();
}
