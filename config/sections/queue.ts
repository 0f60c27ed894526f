import { z } from 'zod';

export const queueSection = z.strictObject({
  /** Key prefix of every queue. Wrapped in a hash tag `{…}` so one queue's keys share a Redis Cluster slot. */
  prefix: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, : _ - only').default('autotask-sync'),
  attempts: z.number().int().min(1).max(50).default(5),
  backoffMs: z.number().int().min(100).max(3_600_000).default(5_000),
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Long API-bound jobs renew their lock; this is how long a lock lives between renewals. */
  lockDurationMs: z.number().int().min(5_000).max(3_600_000).default(120_000),
  keepCompleted: z.strictObject({ ageSeconds: z.number().int().min(0).default(86_400), count: z.number().int().min(0).default(1_000) }).prefault({}),
  keepFailed: z.strictObject({ ageSeconds: z.number().int().min(0).default(604_800), count: z.number().int().min(0).default(5_000) }).prefault({}),
  shutdownGraceMs: z.number().int().min(0).max(600_000).default(30_000),
}).prefault({});
