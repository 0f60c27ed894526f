import { afterEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../../jobs/define-job.js';
import { dlqCommand } from '../../../src/cli/dlq.js';
import { runCommand } from '../../../src/cli/run.js';
import { triggerCommand } from '../../../src/cli/trigger.js';
import { workerCommand } from '../../../src/cli/worker.js';
import { AppError } from '../../../src/lib/errors.js';
import type { JobName } from '../../../src/lib/job-names.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { capture, ADMIN_TOKEN, CREDS, deferred, noHttpClientFactory, probeJob, registryOf, syncAllDefinition, syncAllEntry, waitFor } from './support.js';

const prefixes: string[] = [];
afterEach(async () => {
  const redis = connectRedis();
  for (const prefix of prefixes.splice(0)) await cleanPrefix(redis, prefix);
  await redis.quit();
});


function cliDeps(registry: ReturnType<typeof registryOf>, queue: Record<string, unknown> = {}) {
  const prefix = uniquePrefix('cli');
  prefixes.push(prefix);
  const stdout = capture();
  const stderr = capture();
  return {
    prefix, stdout, stderr,
    deps: {
      registry, clientFactory: noHttpClientFactory().factory, stdout: stdout.stream, stderr: stderr.stream,
      loadOptions: { env: { ...CREDS, REDIS_URL, ADMIN_TOKEN, PORT: '0', LOG_LEVEL: 'warn' as const }, file: { queue: { prefix, attempts: 2, backoffMs: 100, ...queue } } },
    },
  };
}

const writer = defineJob({
  name: 'push-time-entries',
  description: 'test: reports the write it would make',
  writesToTenant: true,
  schema: z.strictObject({ ticketId: z.number().int() }),
  async handler(ctx) {
    return { summary: `one entry for ticket ${ctx.data.ticketId}`, counts: { entries: 1 },
      writes: [{ method: 'POST', entity: 'TimeEntries', body: { ticketID: ctx.data.ticketId, dryRun: ctx.dryRun } }] };
  },
}) as unknown as JobDefinition;

const warner = defineJob({
  name: 'build-invoices',
  description: 'test: reports warnings',
  writesToTenant: true,
  schema: z.strictObject({}),
  async handler() {
    return { summary: 'Invoices: 0 by purchase order (1 warning)', counts: { invoices: 0 },
      warnings: [{ code: 'NO_PO', message: 'contract 7 has no PO number; its items are grouped under "no PO"' }],
      poWarnings: [{ code: 'TEMPLATE_MISSING_VALUE', message: 'rule "numbers": contract 9 has no {contractNumber}' }] };
  },
}) as unknown as JobDefinition;

describe('autotask-sync run', () => {
  it('human output prints the warnings\' texts (not only inside --json)', async () => {
    const { deps, stdout, stderr } = cliDeps(registryOf([warner]));
    expect(await runCommand(['build-invoices'], deps), stderr.text()).toBe(0);
    expect(stdout.text()).toContain('warnings (2):\n  - NO_PO: contract 7 has no PO number');
    expect(stdout.text()).toContain('  - TEMPLATE_MISSING_VALUE: rule "numbers": contract 9 has no {contractNumber}');
  });

  it('--json prints exactly one JSON object with the result; --dry-run reaches the handler', async () => {
    const { deps, stdout, stderr } = cliDeps(registryOf([writer]));
    const code = await runCommand(['push-time-entries', '--json', '--dry-run', '--data', '{"ticketId":42}'], deps);
    expect(code, stderr.text()).toBe(0);
    const lines = stdout.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ ok: true, job: 'push-time-entries', tenant: 'default', dryRun: true,
      result: { counts: { entries: 1 }, writes: [{ method: 'POST', entity: 'TimeEntries', body: { ticketID: 42, dryRun: true } }] } });
  });

  it('exits 1 with a one-line reason naming the field on bad data', async () => {
    const { deps, stdout, stderr } = cliDeps(registryOf([writer]));
    expect(await runCommand(['push-time-entries', '--data', '{"ticketId":"x"}'], deps)).toBe(1);
    expect(stdout.text()).toBe('');
    const lines = stderr.text().trim().split('\n').filter((l) => !l.startsWith('{'));
    expect(lines).toEqual([expect.stringMatching(/^autotask-sync run push-time-entries: INPUT_INVALID: push-time-entries data\.ticketId: /)]);
    const json = cliDeps(registryOf([writer]));
    expect(await runCommand(['push-time-entries', '--json', '--data', 'not json'], json.deps)).toBe(1);
    expect(JSON.parse(json.stdout.text())).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', message: expect.stringMatching(/^--data: /) } });
    expect(await runCommand([], json.deps)).toBe(2);
  });

  it('runs sync-all in process: the pulls, then the rule/push stages in order', async () => {
    const order: string[] = [];
    const stages: JobName[] = ['sync-contracts', 'sync-billing-items', 'sync-tickets', 'build-invoices', 'detect-problems', 'push-time-entries'];
    const probes = stages.map((name) => probeJob(name, () => { order.push(name); }));
    const { deps, stdout } = cliDeps(registryOf([...probes.map((p) => p.definition), syncAllDefinition], [syncAllEntry]));
    expect(await runCommand(['sync-all', '--json'], deps)).toBe(0);
    expect(order.slice(3)).toEqual(['build-invoices', 'detect-problems', 'push-time-entries']);
    const answer = JSON.parse(stdout.text()) as { result: { stages: Array<{ job: string }> } };
    expect(answer.result.stages.map((s) => s.job)).toEqual(stages);
  });

  it('reports a failing stage of sync-all by its own reason, after running every other stage', async () => {
    const order: string[] = [];
    const stages: JobName[] = ['sync-contracts', 'sync-billing-items', 'sync-tickets', 'build-invoices', 'detect-problems', 'push-time-entries'];
    const probes = stages.map((name) => probeJob(name, () => {
      order.push(name);
      if (name === 'build-invoices') throw new AppError('SINK_FAILED', 'disk full');
    }));
    const { deps, stderr } = cliDeps(registryOf([...probes.map((p) => p.definition), syncAllDefinition], [syncAllEntry]));
    expect(await runCommand(['sync-all'], deps)).toBe(1);
    expect(order).toContain('detect-problems');
    expect(order).toContain('push-time-entries');
    expect(stderr.text()).toContain('JOB_STAGE_FAILED: stage build-invoices failed: SINK_FAILED: disk full (5 other stage(s) completed');
  });
});

describe('autotask-sync trigger and dlq', () => {
  it('trigger prints the job id, and the same id again while it waits', async () => {
    const { deps, stdout, stderr, prefix } = cliDeps(registryOf([probeJob('sync-tickets').definition]));
    expect(await triggerCommand(['sync-tickets', '--data', '{"n":1}'], deps), stderr.text()).toBe(0);
    expect(await triggerCommand(['sync-tickets', '--data', '{"n":1}'], deps)).toBe(0);
    const [first, second] = stdout.text().trim().split('\n');
    expect(first).toMatch(/^\d+$/);
    expect(second).toBe(first);
    expect(stderr.text()).toContain('already queued or running');
    const redis = connectRedis();
    const queue = new Queue('jobs', { connection: redis, prefix: `{${prefix}}` });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    await queue.close();
    await redis.quit();
    expect(await triggerCommand(['sync-tickets', '--data', '{"n":"x"}'], deps)).toBe(1);
    expect(await triggerCommand(['no-such-job'], deps)).toBe(1);
  });

  it('worker runs triggered jobs until stopped; dlq lists and requeues what failed', async () => {
    let broken = true;
    const failing = probeJob('detect-problems', () => { if (broken) throw new AppError('AUTOTASK_VALIDATION', 'bad reference'); });
    const { deps, stdout, stderr } = cliDeps(registryOf([failing.definition]));
    const stop = deferred();
    // The worker logs to its own stdout, as a service does; the commands' answers are read from `stdout`.
    const workerOut = capture();
    const worker = workerCommand([], { ...deps, stdout: workerOut.stream, stopSignal: stop.promise });
    expect(await triggerCommand(['detect-problems', '--data', '{"label":"cli"}'], deps)).toBe(0);
    await waitFor(async () => {
      stdout.out.length = 0;
      await dlqCommand(['list', '--json'], deps);
      return (JSON.parse(stdout.text()) as { deadLetters: unknown[] }).deadLetters.length > 0;
    }, 'dead letter');
    const [letter] = (JSON.parse(stdout.text()) as { deadLetters: Array<{ id: string; name: string; attemptsMade: number }> }).deadLetters;
    expect(letter).toMatchObject({ name: 'detect-problems', attemptsMade: 1 });
    broken = false;
    stdout.out.length = 0;
    expect(await dlqCommand(['requeue', letter!.id], deps), stderr.text()).toBe(0);
    expect(stdout.text()).toMatch(/^\d+\n$/);
    await waitFor(() => failing.calls.length === 2, 'requeued run');
    expect(await dlqCommand(['requeue', '--all'], deps)).toBe(0);
    expect(await dlqCommand(['requeue'], deps)).toBe(2);
    stop.resolve();
    expect(await worker).toBe(0);
  });
});
