/**
 * Adding a job to the shared queue (trigger, POST /api/jobs, dead-letter requeue). The data is validated here
 * first, so a bad payload is refused at the door with the field named, and never reaches a worker.
 *
 * De-duplication uses BullMQ's own `deduplication` option (simple mode: no ttl), which is atomic in Redis: while
 * a job with the same id is waiting, delayed (also when waiting for budget) or active, `add` returns that job's
 * id instead of adding one; the key is released when the job completes or finally fails.
 */
import type { AppConfig } from '../../config/schema.js';
import { AppError, InputError } from '../lib/errors.js';
import type { JobRegistry } from '../../jobs/registry.js';
import { parseFlowData } from './flows.js';
import { deduplicationId, parseJobData } from './job-data.js';
import { jobOptions, type RuntimeQueues } from './queues.js';
import type { TenantServices } from './tenant-services.js';

export class UnknownJobError extends AppError {
  constructor(name: string, known: readonly string[]) {
    super('JOB_UNKNOWN', `no job "${name}" (known: ${known.join(', ') || 'none'})`, { details: { job: name } });
  }
}

export interface EnqueueDeps {
  config: Pick<AppConfig, 'queue'>;
  queues: RuntimeQueues;
  registry: JobRegistry;
  tenants: Pick<TenantServices, 'resolve'>;
}

export interface EnqueueRequest {
  name: string;
  tenant?: string | undefined;
  data?: unknown;
}

export interface EnqueueResult {
  jobId: string;
  tenant: string;
  /** True when an equal job was already waiting or running and its id is returned. */
  deduplicated: boolean;
}

export async function enqueueJob(deps: EnqueueDeps, request: EnqueueRequest): Promise<EnqueueResult> {
  const definition = deps.registry.jobs.get(request.name);
  if (!definition) throw new UnknownJobError(request.name, [...deps.registry.jobs.keys()]);
  const tenant = deps.tenants.resolve(request.tenant);
  const data = request.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError('data: expected an object', { field: 'data' });
  const plan = deps.registry.flows.get(definition.name);
  const parsed: unknown = plan ? parseFlowData(definition, plan, deps.registry, data) : parseJobData(definition, data);
  const dedupId = deduplicationId(definition.name, tenant, parsed);
  const before = await deps.queues.jobs.getDeduplicationJobId(dedupId);
  const job = await deps.queues.jobs.add(definition.name, { tenant, data: data as Record<string, unknown> }, {
    ...jobOptions(deps.config),
    deduplication: { id: dedupId },
  });
  if (job.id === undefined) throw new AppError('QUEUE_ADD_FAILED', `BullMQ returned no id for ${definition.name}`);
  return { jobId: job.id, tenant, deduplicated: before !== null && before === job.id };
}
