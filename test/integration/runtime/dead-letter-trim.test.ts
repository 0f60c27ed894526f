import { afterAll, describe, expect, it } from 'vitest';
import { trimDeadLetters } from '../../../src/runtime/dead-letter.js';
import { createQueues } from '../../../src/runtime/queues.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';
import { testConfig } from './support.js';

const prefix = uniquePrefix('dlq');
const redis = connectRedis();
const queues = createQueues(redis, testConfig({ prefix }));
afterAll(async () => { await queues.close(); await cleanPrefix(redis, prefix); await redis.quit(); });

describe('dead-letter queue bound', () => {
  it('drops the oldest dead letters beyond the bound and keeps the newest', async () => {
    for (let i = 1; i <= 7; i += 1) {
      await queues.deadLetters.add('sync-tickets', { name: 'sync-tickets', tenant: 'default', data: {}, originalJobId: String(i),
        failedReason: 'x', attemptsMade: 5, failedAt: new Date(0).toISOString() }, { jobId: `dl-${i}` });
    }
    expect(await trimDeadLetters({ queues }, 5)).toBe(2);
    const left = (await queues.deadLetters.getJobs(['waiting'], 0, -1, true)).map((j) => j?.id);
    expect(left).toEqual(['dl-3', 'dl-4', 'dl-5', 'dl-6', 'dl-7']);
    expect(await trimDeadLetters({ queues }, 5)).toBe(0);
  });
});
