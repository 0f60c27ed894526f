/**
 * The BullMQ processor: one job through executeJob, and what its outcome means for the queue.
 *  - data that fails its schema, an unknown job, a non-retryable AppError → UnrecoverableError at once;
 *  - BudgetExhaustedError → the job moves to delayed until `retryAt` and throws DelayedError, so BullMQ does
 *    not count an attempt (the budget frees on its own; docs/autotask-api.md#request-threshold);
 *  - an abort because this worker is shutting down → back to delayed (due now) for another worker, no attempt;
 *  - a job that writes to the tenant while another run of it holds the tenant's lease (store/job-mutex.ts) →
 *    delayed for a moment, no attempt: two runs at once would defeat each other's look-before-write checks;
 *  - a job of a tenant that already runs `queue.maxActivePerTenant` jobs in this process → delayed, no attempt,
 *    woken when one of them ends (tenant-slots.ts): one tenant's backlog must not hold every slot;
 *  - anything else retryable → rethrown; BullMQ retries with exponential backoff until `attempts`;
 *  - the final failure is recorded in the dead-letter queue before it is thrown;
 *  - a writing job for a tenant still in first-run mode runs as a dry run (src/store/first-run.ts).
 * A flow job (registry `flows`) first expands into its stages and waits for them (WaitingChildrenError).
 */
import { DelayedError, UnrecoverableError, WaitingChildrenError, type Job, type Processor } from 'bullmq';
import type { JobResult } from '../../jobs/define-job.js';
import type { JobRegistry } from '../../jobs/registry.js';
import { BudgetExhaustedError } from '../autotask/errors.js';
import { AppError, errorMessage, RetryLaterError } from '../lib/errors.js';
import { holdingLease, tryTenantLease } from './exclusive.js';
import { createTenantSlots, effectiveTenantCap } from './tenant-slots.js';
import { recordDeadLetter } from './dead-letter.js';
import { UnknownJobError } from './enqueue.js';
import { executeJob } from './execute-job.js';
import { assertStagesRegistered, childCount, collectStageOutcomes, expandFlow } from './flows.js';
import { parseEnvelope, parseJobData } from './job-data.js';
import type { QueuedJobData, RuntimeQueues } from './queues.js';
import type { RuntimeServices } from './services.js';
import { plural } from '../lib/plural.js';

export interface ProcessorDeps {
  registry: JobRegistry;
  services: RuntimeServices;
  queues: RuntimeQueues;
  /** True once shutdown began: an aborted job then goes back to the queue instead of failing. */
  isShuttingDown(): boolean;
}

/**
 * How long a job waits before trying again for a lease another run holds (plus up to as much jitter). Short,
 * because a webhook-driven detect-problems must link within seconds and the run it waits for is usually brief
 * (its own link PATCH fires an Update webhook that queues another detection); a retry is one SET NX.
 */
/** How long a job handed to a stopping worker waits before it can be taken again. */
const SHUTDOWN_REQUEUE_DELAY_MS = 1_000;
const MUTEX_RETRY_MS = 250;
/** A job over its tenant's cap is woken when a slot of that tenant frees; this delay only covers a lost wake. */
const TENANT_CAP_RETRY_MS = 2_000;

function isControlFlow(error: unknown): boolean {
  return error instanceof DelayedError || error instanceof WaitingChildrenError;
}

export function failureReason(error: unknown): string {
  return error instanceof AppError ? `${error.code}: ${error.message}` : errorMessage(error);
}

function isRetryable(error: unknown): boolean {
  // Errors that are not ours (a Redis hiccup, a socket reset deep in a library) get the benefit of the doubt.
  return error instanceof AppError ? error.retryable : true;
}

export function createProcessor(deps: ProcessorDeps): Processor<QueuedJobData, JobResult> {
  const { registry, services, queues } = deps;
  const slots = createTenantSlots(effectiveTenantCap(services.config.queue, services.tenants.ids.length),
    (error) => services.logger.debug({ err: error }, 'a job parked over its tenant\'s cap was taken before its wake'));

  return async (job: Job<QueuedJobData, JobResult>, token?: string, signal?: AbortSignal): Promise<JobResult> => {
    if (deps.isShuttingDown()) {
      // A paused BullMQ worker may still take a job (one it had fetched, or one a stop just put back): it goes
      // straight back, a little later so a worker that is not stopping takes it instead of this one again.
      await job.moveToDelayed(Date.now() + SHUTDOWN_REQUEUE_DELAY_MS, token);
      throw new DelayedError();
    }
    // Data without a tenant is refused below (parseEnvelope); it takes no tenant's slot.
    const tenant = typeof job.data?.tenant === 'string' && job.data.tenant !== '' ? job.data.tenant : null;
    if (tenant === null) return run(job, token, signal);
    if (!slots.tryTake(tenant)) {
      services.logger.debug({ job: job.name, jobId: job.id, tenant }, 'tenant runs its maximum of jobs in this process; waiting');
      await job.moveToDelayed(Date.now() + TENANT_CAP_RETRY_MS + Math.floor(Math.random() * MUTEX_RETRY_MS), token);
      slots.park(tenant, job);
      throw new DelayedError();
    }
    try {
      return await run(job, token, signal);
    } finally {
      slots.release(tenant);
    }
  };

  async function run(job: Job<QueuedJobData, JobResult>, token?: string, signal?: AbortSignal): Promise<JobResult> {
    const jobId = job.id ?? 'unknown';
    const abort = signal ?? new AbortController().signal;
    try {
      const definition = registry.jobs.get(job.name);
      if (!definition) throw new UnknownJobError(job.name, [...registry.jobs.keys()]);
      let rawData: QueuedJobData = job.data;
      const plan = registry.flows.get(job.name);
      if (plan) {
        const envelope = parseEnvelope(job.data);
        parseJobData(definition, envelope.data);
        if ((await childCount(job)) === 0) {
          assertStagesRegistered(job.name, plan, registry);
          await expandFlow(queues, services, plan, job);
          services.logger.info({ job: job.name, jobId, tenant: envelope.tenant }, 'flow expanded into its stages');
        }
        if (await job.moveToWaitingChildren(token ?? '')) throw new WaitingChildrenError();
        rawData = { tenant: envelope.tenant, data: { ...envelope.data, ...(await collectStageOutcomes(queues, plan, job)) } };
      }
      // First-run mode (src/store/first-run.ts): a job that writes to a tenant nobody confirmed yet runs as a dry
      // run, whatever queued it (a schedule, a trigger, a webhook); its result waits for review.
      const tenantId = parseEnvelope(rawData).tenant;
      const firstRun = definition.writesToTenant ? services.tenants.get(tenantId).firstRun : undefined;
      const dryRun = firstRun ? !(await firstRun.isConfirmed()) : false;
      if (dryRun) {
        const result = await executeJob(definition, rawData, services, { dryRun: true, signal: abort, jobId,
          progress: (value) => job.updateProgress(value) });
        const wouldWrite = result.writes?.length ?? 0;
        await firstRun!.recordPreview({ job: job.name, at: services.now().toISOString(), summary: result.summary, wouldWrite });
        services.logger.warn({ job: job.name, jobId, tenant: tenantId, wouldWrite },
          `first-run mode: ${job.name} ran as a dry run for tenant ${tenantId} (${plural(wouldWrite, 'write')} held back: `
          + `${result.summary.split('\n')[0] ?? ''}). Review, then confirm with \`autotask-sync confirm --tenant ${tenantId}\` or in the console.`);
        return { ...result, firstRun: { dryRun: true, confirmed: false } };
      }
      const execute = (signal: AbortSignal): Promise<JobResult> => executeJob(definition, rawData, services, {
        dryRun: false, signal, jobId, progress: (value) => job.updateProgress(value) });
      if (!definition.writesToTenant) return await execute(abort);
      const lease = await tryTenantLease(services, job.name, parseEnvelope(rawData).tenant);
      if (!lease) {
        services.logger.debug({ job: job.name, jobId }, 'another run of this job is writing to the tenant; waiting');
        await job.moveToDelayed(Date.now() + MUTEX_RETRY_MS + Math.floor(Math.random() * MUTEX_RETRY_MS), token);
        throw new DelayedError();
      }
      return await holdingLease(lease, abort, execute);
    } catch (error) {
      if (isControlFlow(error)) throw error;
      const log = services.logger.child({ job: job.name, jobId, tenant: job.data?.tenant });
      if (error instanceof BudgetExhaustedError) {
        log.warn({ retryAt: error.retryAt.toISOString() }, 'budget used up; job waits without spending an attempt');
        // Every run that waits for budget says so in its progress, with or without a forecast of its own
        // (jobs/define-job.ts planRequests); the dashboard shows it until the run goes on.
        await job.updateProgress(waitingForBudget(job.progress, error.retryAt));
        await job.moveToDelayed(error.retryAt.getTime(), token);
        throw new DelayedError();
      }
      if (error instanceof RetryLaterError) {
        log.warn({ retryAt: error.retryAt.toISOString(), code: error.code }, `${error.message}; job waits without spending an attempt`);
        await job.moveToDelayed(error.retryAt.getTime(), token);
        throw new DelayedError();
      }
      if (abort.aborted && deps.isShuttingDown()) {
        log.warn({ stoppedBy: errorMessage(error) }, 'worker shutting down; job goes back to the queue without spending an attempt');
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const reason = failureReason(error);
      const retryable = isRetryable(error);
      const attempts = job.opts.attempts ?? 1;
      const final = !retryable || job.attemptsMade + 1 >= attempts;
      if (final) {
        await recordDeadLetter({ queues }, job, reason, job.attemptsMade + 1, services.now());
        log.error({ err: error, attemptsMade: job.attemptsMade + 1 }, `job failed for good, dead-lettered: ${reason}`);
      } else {
        log.warn({ err: error, attemptsMade: job.attemptsMade + 1, attempts }, `job failed, will retry: ${reason}`);
      }
      if (!retryable) throw new UnrecoverableError(reason);
      throw error instanceof Error && error.message === reason ? error : new Error(reason, { cause: error });
    }
  }
}

/** The job's progress with `budget.waitingUntil` set, keeping a forecast (`needed`, `spreadsUntil`) it reported. */
export function waitingForBudget(progress: unknown, retryAt: Date): Record<string, unknown> {
  const previous = typeof progress === 'object' && progress !== null ? progress as Record<string, unknown> : {};
  const budget = typeof previous.budget === 'object' && previous.budget !== null ? previous.budget as Record<string, unknown> : {};
  return { ...previous, budget: { ...budget, left: 0, waitingUntil: retryAt.toISOString() } };
}
