import { z } from 'zod';

const keep = (ageSeconds: number, count: number, what: string) => z.strictObject({
  ageSeconds: z.number().int().min(0).default(ageSeconds).describe(`${what} jobs older than this are removed`),
  count: z.number().int().min(0).default(count).describe(`at most this many ${what} jobs are kept`),
}).prefault({});

export const queueSection = z.strictObject({
  prefix: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, : _ - only').default('autotask-sync')
    .describe('key prefix of every queue; wrapped in a hash tag {…} so a queue\'s keys share one Redis Cluster slot'),
  attempts: z.number().int().min(1).max(50).default(5).describe('tries per job before it goes to the dead-letter queue'),
  backoffMs: z.number().int().min(100).max(3_600_000).default(5_000).describe('first retry delay; doubles per attempt'),
  concurrency: z.number().int().min(1).max(64).default(4).describe('jobs one worker process runs at once'),
  maxActivePerTenant: z.number().int().min(1).max(64).default(2)
    .describe('jobs of one tenant one worker process runs at once; a job over it waits (no attempt spent) until one of them ends, so one tenant\'s backlog cannot hold every slot; applies only when more than one tenant is configured (docs/many-tenants.md)'),
  lockDurationMs: z.number().int().min(5_000).max(3_600_000).default(120_000)
    .describe('job lock, renewed while a long API-bound job runs, so it is not falsely marked stalled'),
  stalledIntervalMs: z.number().int().min(1_000).max(600_000).default(30_000)
    .describe('how often a worker checks for jobs whose process died; such a job is taken again after at most lockDurationMs + this'),
  keepCompleted: keep(86_400, 1_000, 'completed'),
  keepFailed: keep(604_800, 5_000, 'failed'),
  shutdownGraceMs: z.number().int().min(0).max(600_000).default(8_000)
    .describe('on SIGTERM/SIGINT running jobs stop at their next safe point and go back to the queue; the longest the process waits for that (under docker stop\'s 10 s)'),
}).prefault({});
