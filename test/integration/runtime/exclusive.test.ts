import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { executeExclusive } from '../../../src/runtime/exclusive.js';
import type { Runtime } from '../../../src/app/process.js';
import { tryAcquireJobMutex } from '../../../src/store/job-mutex.js';
import { cleanPrefix, connectRedis, RedisCommandWatch, uniquePrefix } from '../../helpers/redis.js';
import { probeJob, registryOf, startTestRuntime, testConfig } from './support.js';

const prefix = uniquePrefix('excl');
const probe = probeJob('push-time-entries');
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime(testConfig({ prefix, file: { queue: { prefix, lockDurationMs: 5_000 } } }), registryOf([probe.definition]), { worker: false });
});
afterAll(async () => {
  await runtime.close();
  const redis = connectRedis();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

const options = (dryRun = false) => ({ dryRun, signal: new AbortController().signal, jobId: 'run-test', progress: async () => undefined });

describe('executeExclusive (run <job> in process)', () => {
  it('waits while another run holds the tenant lease for a writing job, then runs', async () => {
    const held = await tryAcquireJobMutex({ redis: runtime.services.redis, keyPrefix: prefix, tenantId: 'default', name: 'push-time-entries', leaseMs: 5_000 });
    expect(held).not.toBeNull();
    let finished = false;
    const watch = await new RedisCommandWatch(prefix).start();
    const running = executeExclusive(probe.definition, { tenant: 'default', data: {} }, runtime.services, options()).then(() => { finished = true; });
    // It asked for the lease twice and was refused both times (a run that ignored the lease would have run
    // after its first ask, and never asked again).
    await vi.waitFor(() => { expect(watch.count('set')).toBeGreaterThanOrEqual(2); }, { timeout: 20_000, interval: 20 });
    watch.stop();
    expect(finished).toBe(false);
    expect(probe.calls).toHaveLength(0);
    await held!.release();
    await running;
    expect(probe.calls).toHaveLength(1);
    // The lease was released after the run: another can take it at once.
    const again = await tryAcquireJobMutex({ redis: runtime.services.redis, keyPrefix: prefix, tenantId: 'default', name: 'push-time-entries', leaseMs: 5_000 });
    expect(again).not.toBeNull();
    await again!.release();
  });

  it('a dry run writes nothing and does not wait for the lease', async () => {
    const held = await tryAcquireJobMutex({ redis: runtime.services.redis, keyPrefix: prefix, tenantId: 'default', name: 'push-time-entries', leaseMs: 5_000 });
    await executeExclusive(probe.definition, { tenant: 'default', data: {} }, runtime.services, options(true));
    expect(probe.calls).toHaveLength(2);
    await held!.release();
  });
});
