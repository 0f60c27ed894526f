/**
 * What a job is. Each file in jobs/ exports one `defineJob({...})`; jobs/registry.ts lists them explicitly.
 * A handler is thin: parse (done for it, by `schema`) → read through the client or store → call rules → write.
 * The same handler runs under the BullMQ worker and under `autotask-sync run` (one code path).
 */
import type { z } from 'zod';
import type { AppConfig } from '../config/schema.js';
import type { Logger } from '../src/lib/logger.js';
import type { JobName } from '../src/lib/job-names.js';
import type { RequestCost } from '../src/rules/request-cost.js';
import type { TenantScope } from '../src/scope/tenant-scope.js';

export interface JobContext<Data> {
  jobId: string;
  data: Data;
  /** The tenant's config, client and stores, built once by the runtime; a job never sees Redis or a key. */
  scope: TenantScope;
  config: AppConfig;
  logger: Logger;
  signal: AbortSignal;
  /** Reports progress (pages read, items written); persisted on the BullMQ job. */
  progress(value: Record<string, unknown>): Promise<void>;
  /**
   * Tells the runtime how many Autotask requests the rest of a real run needs (issue 17 item 4). More than the hour
   * has left: `{budget: {needed, left, spreadsUntil}}` becomes the run's progress and stays on every later progress
   * value, so the dashboard shows it while the run spreads itself over the hours (docs/request-cost.md). A dry run
   * reports its forecast at the end instead.
   */
  planRequests(requests: number): Promise<void>;
  /** Compute every write and report it; send none. */
  dryRun: boolean;
  now(): Date;
}

/** Every job's result carries the writes it made (or, in a dry run, would make) so `run --dry-run` can print them. */
export interface JobResult {
  summary: string;
  counts: Record<string, number>;
  writes?: Array<{ method: 'POST' | 'PATCH' | 'DELIVER'; entity: string; body: Record<string, unknown>; reason?: string }>;
  /** Set by the runtime on every run: the Autotask requests spent (or, in a dry run, forecast) against the hourly budget. */
  requestCost?: RequestCost;
  [key: string]: unknown;
}

/**
 * Where a job sits in the `sync-all` flow (jobs/sync-all.ts): the `parallel` stages run side by side first, then
 * the `chain` stages one after another, in the order jobs/registry.ts lists them.
 */
export type SyncAllStage = 'parallel' | 'chain';

export interface JobDefinition<S extends z.ZodType = z.ZodType, R extends JobResult = JobResult> {
  name: JobName;
  description: string;
  schema: S;
  /**
   * The job writes to the tenant (Autotask records, invoice deliveries). Such a job runs one at a time per tenant,
   * under the tenant's lease (src/store/job-mutex.ts says why); a dry run of it takes no lease.
   */
  writesToTenant: boolean;
  /** Its stage in sync-all; absent when sync-all does not run it. */
  syncAllStage?: SyncAllStage;
  handler(ctx: JobContext<z.output<S>>): Promise<R>;
}

/**
 * A job that is a BullMQ flow: the `parallel` jobs first (siblings), then each `chain` job in order, each one
 * the parent of the one before. The flow job itself runs last and summarises its stages.
 */
export interface FlowPlan {
  parallel: readonly JobName[];
  chain: readonly JobName[];
}

/** What the runtime hands a flow's own handler (`data.stages`): one line per stage that ran. */
export interface StageOutcome {
  job: string;
  jobId: string;
  summary: string;
  counts: Record<string, number>;
  /** The stage's warning texts (in-process runs; see src/runtime/job-warnings.ts). */
  warnings?: string[];
}

export function defineJob<S extends z.ZodType, R extends JobResult>(definition: JobDefinition<S, R>): JobDefinition<S, R> {
  return definition;
}
