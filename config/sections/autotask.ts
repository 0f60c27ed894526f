import { z } from 'zod';

/** Client and rate-governor settings. Defaults follow API-NOTES "Errors and limits". */
export const autotaskSection = z.strictObject({
  /** Share of the tenant's externalRequestThreshold this worker lets the tenant reach (Autotask adds latency from 50%). */
  budgetFraction: z.number().gt(0).max(1).default(0.5),
  /** Concurrent requests per entity endpoint across all processes (Autotask: 3 per integration code). */
  threadsPerEndpoint: z.number().int().min(1).max(3).default(3),
  /** A slot's lease: a crashed holder's slot frees after this long. Longer than the slowest request. */
  slotLeaseMs: z.number().int().min(1_000).max(600_000).default(60_000),
  /** How often ThresholdInformation is read (it counts against the budget too). */
  thresholdRefreshMs: z.number().int().min(10_000).max(3_600_000).default(300_000),
  requestTimeoutMs: z.number().int().min(1_000).max(600_000).default(60_000),
  retries: z.number().int().min(0).max(10).default(5),
  retryMinMs: z.number().int().min(1).max(60_000).default(500),
  retryMaxMs: z.number().int().min(1).max(600_000).default(30_000),
  zoneCacheMs: z.number().int().min(0).default(6 * 3_600_000),
  pageSize: z.number().int().min(1).max(500).default(500),
}).prefault({});
