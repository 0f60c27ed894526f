/**
 * What a job is. Each file in jobs/ exports one `defineJob({...})`; jobs/registry.ts lists them explicitly.
 * A handler is thin: parse (done for it, by `schema`) → read through the client or store → call rules → write.
 * The same handler runs under the BullMQ worker and under `autotask-sync run` (one code path).
 */
import type { RedisConnection } from '../src/lib/redis-connection.js';
import type { z } from 'zod';
import type { AppConfig, TenantConfig } from '../config/schema.js';
import type { AutotaskClient } from '../src/autotask/types.js';
import type { Logger } from '../src/lib/logger.js';
import type { JobName } from '../src/lib/job-names.js';

export interface JobContext<Data> {
  jobId: string;
  data: Data;
  tenant: TenantConfig;
  client: AutotaskClient;
  /** The shared Redis connection (store modules in src/store take it with `keyPrefix`). */
  redis: RedisConnection;
  /** Root of this deployment's keys; src/store derives every tenant key from it. */
  keyPrefix: string;
  config: AppConfig;
  logger: Logger;
  signal: AbortSignal;
  /** Reports progress (pages read, items written); persisted on the BullMQ job. */
  progress(value: Record<string, unknown>): Promise<void>;
  /** Compute every write and report it; send none. */
  dryRun: boolean;
  now(): Date;
}

/** Every job's result carries the writes it made (or, in a dry run, would make) so `run --dry-run` can print them. */
export interface JobResult {
  summary: string;
  counts: Record<string, number>;
  writes?: Array<{ method: 'POST' | 'PATCH' | 'DELIVER'; entity: string; body: Record<string, unknown>; reason?: string }>;
  [key: string]: unknown;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType, R extends JobResult = JobResult> {
  name: JobName;
  description: string;
  schema: S;
  handler(ctx: JobContext<z.output<S>>): Promise<R>;
}

export function defineJob<S extends z.ZodType, R extends JobResult>(definition: JobDefinition<S, R>): JobDefinition<S, R> {
  return definition;
}
