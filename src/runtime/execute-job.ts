/**
 * The one code path that runs a job, under the BullMQ worker and under `autotask-sync run`: validate the
 * envelope and the data (zod), resolve the tenant's scope (client and stores), bind a logger to job and tenant, call the handler.
 * Errors propagate as they are (AppError subclasses keep their `retryable` verdict); the caller decides what a
 * failure means (processor.ts: retry, delay, dead-letter; run: exit 1).
 */
import type { JobDefinition, JobResult } from '../../jobs/define-job.js';
import type { RuntimeServices } from './services.js';
import { parseEnvelope, parseJobData } from './job-data.js';

export interface ExecuteOptions {
  dryRun: boolean;
  signal: AbortSignal;
  jobId: string;
  progress(value: Record<string, unknown>): Promise<void>;
}

export async function executeJob(
  definition: JobDefinition,
  rawData: unknown,
  services: RuntimeServices,
  options: ExecuteOptions,
): Promise<JobResult> {
  const envelope = parseEnvelope(rawData);
  const data: unknown = parseJobData(definition, envelope.data);
  const scope = services.tenants.get(envelope.tenant);
  const logger = services.logger.child({ job: definition.name, jobId: options.jobId, tenant: scope.tenant.id });
  options.signal.throwIfAborted();
  logger.debug({ dryRun: options.dryRun }, 'job started');
  const result = await definition.handler({
    jobId: options.jobId,
    data,
    scope,
    config: services.config,
    logger,
    signal: options.signal,
    progress: options.progress,
    dryRun: options.dryRun,
    now: services.now,
  });
  logger.info({ counts: result.counts }, result.summary.split('\n')[0] ?? 'job done');
  return result;
}
