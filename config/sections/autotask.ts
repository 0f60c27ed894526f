import { z } from 'zod';

/**
 * The slot's cooling, chosen by test/bench/thread-headroom.ts (docs/autotask-api.md#thread-headroom): with the
 * server freeing threads 20 ms late, no cooling drew 429s, 15 ms still did, 20 ms none (40 ms of lag needs 40). The
 * cooling is kept in Redis from the answer's arrival and delays only a caller that finds every slot taken, so it
 * costs a saturated pull at most this much per page and a lone request nothing.
 */
const SLOT_RELEASE_DELAY_MS = 20;

/** Client and rate-governor settings. Defaults follow docs/autotask-api.md#thread-limit and #request-threshold. */
export const autotaskSection = z.strictObject({
  budgetFraction: z.number().gt(0).max(1).default(0.5)
    .describe('share of the tenant\'s hourly externalRequestThreshold (all integrations) this worker lets the tenant reach; Autotask adds latency from 50%'),
  threadsPerEndpoint: z.number().int().min(1).max(3).default(3)
    .describe('concurrent requests per entity endpoint across all worker processes (Autotask allows 3 per integration code)'),
  slotReleaseDelayMs: z.number().int().min(0).max(5_000).default(SLOT_RELEASE_DELAY_MS)
    .describe('a slot stays counted this long after its answer arrived (cooling, kept in Redis): Autotask frees its thread slightly later, and a request sent into that gap is answered 429; it delays only a caller that finds every slot of the endpoint taken (docs/autotask-api.md#thread-headroom)'),
  slotLeaseMs: z.number().int().min(1_000).max(600_000).default(90_000)
    .describe('lease of a request slot; a crashed holder\'s slot frees after this (longer than requestTimeoutMs)'),
  thresholdRefreshMs: z.number().int().min(10_000).max(3_600_000).default(300_000)
    .describe('how often ThresholdInformation is read (it counts against the budget too)'),
  requestTimeoutMs: z.number().int().min(1_000).max(600_000).default(60_000).describe('timeout of one HTTP request'),
  retries: z.number().int().min(0).max(10).default(5).describe('retries of a transient failure (bare 500, 502-504, 429, timeout, reset)'),
  retryMinMs: z.number().int().min(1).max(60_000).default(500).describe('first retry delay (exponential, with jitter; Retry-After wins)'),
  retryMaxMs: z.number().int().min(1).max(600_000).default(30_000).describe('longest retry delay'),
  zoneCacheMs: z.number().int().min(0).default(6 * 3_600_000).describe('how long a zone discovery answer is reused'),
  pageSize: z.number().int().min(1).max(500).default(500).describe('MaxRecords per query page (Autotask: 1..500)'),
  unknownOutcomeWindowMs: z.number().int().min(1_000).max(3_600_000).default(360_000)
    .describe('after a create whose answer was lost, how long to keep looking for the record before creating again (covers Autotask\'s ~5 min server-side request lifetime; docs/unknown-outcomes.md)'),
  unknownOutcomeLookMs: z.number().int().min(10).max(600_000).default(30_000)
    .describe('how often to look again for a create whose answer was lost, within unknownOutcomeWindowMs'),
}).prefault({});
