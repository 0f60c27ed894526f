import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../../jobs/define-job.js';
import { describeValidation } from '../../../src/http/errors.js';
import { isGuardedPath, safeEqual, sessionValue } from '../../../src/http/auth.js';
import { InputError } from '../../../src/lib/errors.js';
import { deadLetterId } from '../../../src/runtime/dead-letter.js';
import { deduplicationId, parseEnvelope, parseJobData, stableJson } from '../../../src/runtime/job-data.js';
import { jobOptions } from '../../../src/runtime/queues.js';
import { schedulerId } from '../../../src/runtime/schedules.js';

const job = defineJob({
  name: 'sync-tickets',
  description: 'test',
  writesToTenant: false,
  schema: z.strictObject({ since: z.iso.datetime(), full: z.boolean().default(false), nested: z.object({ id: z.number() }).optional() }),
  async handler() { return { summary: '', counts: {} }; },
}) as unknown as JobDefinition;

describe('job data', () => {
  it('names every bad field under data.', () => {
    expect(() => parseJobData(job, { since: 'yesterday', nested: { id: 'x' }, extra: 1 })).toThrow(InputError);
    try {
      parseJobData(job, { since: 'yesterday', nested: { id: 'x' }, extra: 1 });
    } catch (error) {
      const message = (error as InputError).message;
      expect(message).toMatch(/^sync-tickets /);
      expect(message).toContain('data.since: ');
      expect(message).toContain('data.nested.id: ');
      expect(message).toMatch(/data: Unrecognized key.*extra/);
    }
    expect(parseJobData(job, { since: '2026-01-01T00:00:00Z' })).toEqual({ since: '2026-01-01T00:00:00Z', full: false });
  });

  it('refuses envelopes that are not {tenant, data}', () => {
    expect(() => parseEnvelope(null)).toThrow(/job data/);
    expect(() => parseEnvelope({ data: {} })).toThrow(/^tenant: /);
    expect(() => parseEnvelope({ tenant: 'a', data: [] })).toThrow(/^data: /);
    expect(parseEnvelope({ tenant: 'a' })).toEqual({ tenant: 'a', data: {} });
  });

  it('hashes equal data equally whatever the key order, and different data, tenant or job differently', () => {
    expect(stableJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    const id = deduplicationId('sync-tickets', 'default', { a: 1, b: 2 });
    expect(deduplicationId('sync-tickets', 'default', { b: 2, a: 1 })).toBe(id);
    expect(deduplicationId('sync-tickets', 'default', { a: 1, b: 3 })).not.toBe(id);
    expect(deduplicationId('sync-tickets', 'other', { a: 1, b: 2 })).not.toBe(id);
    expect(deduplicationId('sync-contracts', 'default', { a: 1, b: 2 })).not.toBe(id);
  });

  it('derives BullMQ-safe dead-letter ids and deterministic scheduler ids', () => {
    expect(deadLetterId('42')).toBe('dl-42');
    expect(deadLetterId('repeat:cfg:default:sync-tickets:1700000000000')).toBe('dl-repeat_cfg_default_sync-tickets_1700000000000');
    const entry = { job: 'sync-tickets' as const, tenant: 'default', tz: 'UTC', everyMinutes: 5, data: {} };
    expect(schedulerId(entry)).toBe('cfg:default:sync-tickets');
    expect(schedulerId({ ...entry, data: { full: true } })).toMatch(/^cfg:default:sync-tickets:[0-9a-f]{12}$/);
    expect(schedulerId({ ...entry, data: { full: true } })).toBe(schedulerId({ ...entry, everyMinutes: 10, data: { full: true } }));
  });

  it('turns the queue config into attempts, exponential backoff and trimming by age and count', () => {
    const options = jobOptions({ queue: { prefix: 'p', attempts: 4, backoffMs: 250, concurrency: 1, maxActivePerTenant: 1, lockDurationMs: 60_000, stalledIntervalMs: 30_000,
      keepCompleted: { ageSeconds: 60, count: 10 }, keepFailed: { ageSeconds: 120, count: 20 }, shutdownGraceMs: 0 } });
    expect(options).toEqual({ attempts: 4, backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: { age: 60, count: 10 }, removeOnFail: { age: 120, count: 20 } });
  });
});

describe('http helpers', () => {
  it('formats schema failures with the field path', () => {
    expect(describeValidation('body', [{ instancePath: '/data', message: 'must be object' }])).toBe('body.data: must be object');
    expect(describeValidation('body', [{ instancePath: '', params: { missingProperty: 'ticketId' } }])).toBe('body.ticketId: required');
    expect(describeValidation('body', [{ instancePath: '/a', params: { additionalProperty: 'b' } }])).toBe('body.a.b: not allowed');
  });

  it('guards /api and the dashboard only, and compares tokens whatever their length', () => {
    for (const path of ['/api', '/api/jobs/1', '/admin/queues', '/admin/queues/static/x.js']) expect(isGuardedPath(path)).toBe(true);
    for (const path of ['/healthz', '/readyz', '/metrics', '/webhooks/autotask', '/apix', '/admin/queuesx']) expect(isGuardedPath(path)).toBe(false);
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'abc')).toBe(false);
    expect(sessionValue('token-one-0123456789')).not.toBe(sessionValue('token-two-0123456789'));
    expect(sessionValue('token-one-0123456789')).not.toContain('token');
  });
});
