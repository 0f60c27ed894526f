import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { bullPrefix } from '../../../src/runtime/queues.js';
import { connectRedis, uniquePrefix } from '../../helpers/redis.js';
import { closeAfterEach, probeJob, registryOf, startTestRuntime, syncAllDefinition, syncAllEntry, testConfig } from './support.js';

const { runtimes, prefixes } = closeAfterEach();

const registry = registryOf([probeJob('sync-tickets').definition, probeJob('build-invoices').definition]);
const twoSchedules = [
  { job: 'sync-tickets', everyMinutes: 15 },
  { job: 'build-invoices', cron: '0 0 6 * * 1-5', tz: 'Europe/Berlin', data: { label: 'weekday' } },
];

async function inspect(prefix: string) {
  const redis = connectRedis();
  const queue = new Queue('jobs', { connection: redis, prefix: bullPrefix({ queue: { prefix } as never }) });
  try {
    const schedulers = await queue.getJobSchedulers(0, -1, true);
    const delayed = await queue.getJobs(['delayed', 'waiting']);
    return { schedulers, delayed };
  } finally {
    await queue.close();
    await redis.quit();
  }
}

describe('schedules from SYNC_CONFIG', () => {
  it('three workers starting at once leave exactly one scheduler (and one next run) per schedule', async () => {
    const prefix = uniquePrefix('sched');
    prefixes.push(prefix);
    const config = testConfig({ prefix, file: { schedules: twoSchedules } });
    // No worker: the scheduled runs stay where the test can count them.
    const started = await Promise.all([1, 2, 3].map(() => startTestRuntime(config, registry, { worker: false })));
    runtimes.push(...started);
    const { schedulers, delayed } = await inspect(prefix);
    expect(schedulers).toHaveLength(2);
    // Deterministic ids: tenant and job, plus a hash of the data when the schedule has data.
    expect(schedulers.map((s) => s.key).sort()).toEqual([expect.stringMatching(/^cfg:default:build-invoices:[0-9a-f]{12}$/), 'cfg:default:sync-tickets']);
    const cron = schedulers.find((s) => s.name === 'build-invoices')!;
    expect(cron).toMatchObject({ pattern: '0 0 6 * * 1-5', tz: 'Europe/Berlin' });
    expect(cron.template?.data).toEqual({ tenant: 'default', data: { label: 'weekday' } });
    expect(schedulers.find((s) => s.name === 'sync-tickets')!.every).toBe(900_000);
    expect(delayed.map((j) => j.name).sort()).toEqual(['build-invoices', 'sync-tickets']);
  });

  it('removes a schedule that the config no longer declares, and leaves schedulers that are not ours', async () => {
    const prefix = uniquePrefix('sched');
    prefixes.push(prefix);
    runtimes.push(await startTestRuntime(testConfig({ prefix, file: { schedules: twoSchedules } }), registry, { worker: false }));
    const redis = connectRedis();
    const queue = new Queue('jobs', { connection: redis, prefix: `{${prefix}}` });
    await queue.upsertJobScheduler('manual-report', { every: 3_600_000 }, { name: 'sync-tickets', data: { tenant: 'default', data: {} } });
    await queue.close();
    await redis.quit();

    runtimes.push(await startTestRuntime(testConfig({ prefix, file: { schedules: [twoSchedules[0]] } }), registry, { worker: false }));
    const { schedulers } = await inspect(prefix);
    expect(schedulers.map((s) => s.key).sort()).toEqual(['cfg:default:sync-tickets', 'manual-report']);
  });

  it('refuses to start on a schedule whose data breaks the job schema, naming the field', async () => {
    const prefix = uniquePrefix('sched');
    prefixes.push(prefix);
    const config = testConfig({ prefix, file: { schedules: [{ job: 'sync-tickets', everyMinutes: 5, data: { n: 'five' } }] } });
    const error = await startTestRuntime(config, registry, { worker: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([expect.stringMatching(/^SYNC_CONFIG schedules\.0\.data\.n: /)]);
  });

  it('refuses a schedule for a job without a handler', async () => {
    const prefix = uniquePrefix('sched');
    prefixes.push(prefix);
    const config = testConfig({ prefix, file: { schedules: [{ job: 'push-time-entries', everyMinutes: 5 }] } });
    const error = await startTestRuntime(config, registry, { worker: false }).catch((e: unknown) => e);
    expect((error as ConfigError).issues).toEqual(['SYNC_CONFIG schedules.0.job: no handler is registered for "push-time-entries"']);
    const flowRegistry = registryOf([probeJob('sync-tickets').definition, syncAllDefinition], [syncAllEntry]);
    const flow = testConfig({ prefix, file: { schedules: [{ job: 'sync-all', everyMinutes: 5 }] } });
    const flowError = await startTestRuntime(flow, flowRegistry, { worker: false }).catch((e: unknown) => e);
    expect((flowError as ConfigError).issues).toEqual([expect.stringMatching(/^SYNC_CONFIG schedules\.0\.job: "sync-all" needs handlers for sync-contracts, /)]);
  });
});
