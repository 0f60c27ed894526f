/**
 * Jobs that write to the tenant run one at a time per tenant (src/store/job-mutex.ts says why). Under the worker,
 * a run that finds the lease taken goes back to the queue as delayed (processor.ts); in-process — `run <job>`
 * and `run sync-all`'s stages — it waits here for the lease, then fails with JOB_BUSY rather than racing.
 */
import type { JobDefinition, JobResult } from '../../jobs/define-job.js';
import { AppError } from '../lib/errors.js';
import { sleep } from '../lib/sleep.js';
import type { JobMutexLease } from '../store/job-mutex.js';
import { executeJob, type ExecuteOptions } from './execute-job.js';
import { parseEnvelope } from './job-data.js';
import type { RuntimeServices } from './services.js';

const POLL_MS = 500;

export class JobBusyError extends AppError {
  constructor(name: string, tenant: string) {
    super('JOB_BUSY', `another run of ${name} is writing to tenant ${tenant}; try again when it has finished`, { retryable: true });
  }
}

/**
 * The one way the runtime takes a tenant's write lease for a job (the worker's processor and the in-process run
 * both come here): the lease, or null when another run holds it.
 */
export function tryTenantLease(services: RuntimeServices, name: string, tenant: string): Promise<JobMutexLease | null> {
  return services.tenants.get(tenant).lease.tryAcquire(name, services.config.queue.lockDurationMs);
}

/** Runs `run` holding `lease`: its signal also aborts when the lease is found lost; the lease is released after. */
export async function holdingLease<T>(lease: JobMutexLease, signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await run(AbortSignal.any([signal, lease.signal]));
  } finally {
    await lease.release();
  }
}

/** executeJob, holding the tenant's lease for a writing job (a dry run writes nothing and needs none). */
export async function executeExclusive(definition: JobDefinition, rawData: unknown, services: RuntimeServices,
  options: ExecuteOptions): Promise<JobResult> {
  if (options.dryRun || !definition.writesToTenant) return executeJob(definition, rawData, services, options);
  const tenant = parseEnvelope(rawData).tenant;
  const leaseMs = services.config.queue.lockDurationMs;
  const until = Date.now() + leaseMs + POLL_MS;
  for (;;) {
    const lease = await tryTenantLease(services, definition.name, tenant);
    if (lease) return holdingLease(lease, options.signal, (signal) => executeJob(definition, rawData, services, { ...options, signal }));
    if (Date.now() > until) throw new JobBusyError(definition.name, tenant);
    await sleep(POLL_MS, options.signal);
  }
}
