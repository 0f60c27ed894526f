/**
 * The dead-letter queue: a job that used up its attempts, or could never run (bad payload, unknown job, a
 * non-retryable Autotask error), is copied here with its name, tenant, data, reason and attempts. Nothing
 * processes this queue; bull-board shows it, and `dlq requeue` / POST /api/dead-letters/{id}/requeue put the
 * job back on the jobs queue as a new job.
 *
 * The entry's id is derived from the original job's id, so recording is idempotent: the processor records
 * before it throws the final error (a crash after that still leaves the record), and the worker's `failed`
 * event records again for failures the processor never saw (a job that stalled too often).
 */
import type { Job } from 'bullmq';
import { AppError } from '../lib/errors.js';
import { enqueueJob, type EnqueueDeps, type EnqueueResult } from './enqueue.js';
import type { DeadLetterData, QueuedJobData } from './queues.js';

export class DeadLetterNotFoundError extends AppError {
  constructor(id: string) {
    super('DEAD_LETTER_NOT_FOUND', `no dead letter "${id}"`, { details: { id } });
  }
}

export interface DeadLetter extends DeadLetterData {
  id: string;
}

/**
 * Dead letters wait for a person, so they are not trimmed by age; but a tenant failing every job for weeks must not
 * grow Redis without bound: past this many, the oldest are dropped (they are in the log too).
 */
export const MAX_DEAD_LETTERS = 10_000;

export function deadLetterId(originalJobId: string): string {
  // BullMQ refuses custom ids that are integers or contain ':' (ids of scheduled jobs do).
  return `dl-${originalJobId.replaceAll(':', '_')}`;
}

export async function recordDeadLetter(deps: Pick<EnqueueDeps, 'queues'>, job: Job<QueuedJobData>, failedReason: string,
  attemptsMade: number, now: Date, maxDeadLetters = MAX_DEAD_LETTERS): Promise<string> {
  const id = deadLetterId(job.id ?? 'unknown');
  const data: DeadLetterData = {
    name: job.name,
    tenant: typeof job.data?.tenant === 'string' ? job.data.tenant : 'unknown',
    data: job.data?.data ?? {},
    originalJobId: job.id ?? 'unknown',
    failedReason,
    attemptsMade,
    failedAt: now.toISOString(),
  };
  await deps.queues.deadLetters.add(job.name, data, { jobId: id });
  await trimDeadLetters(deps, maxDeadLetters);
  return id;
}

/** Drops the oldest dead letters beyond `max`; returns how many. */
export async function trimDeadLetters(deps: Pick<EnqueueDeps, 'queues'>, max = MAX_DEAD_LETTERS): Promise<number> {
  const excess = (await deps.queues.deadLetters.getWaitingCount()) - max;
  if (excess <= 0) return 0;
  const oldest = await deps.queues.deadLetters.getJobs(['waiting'], 0, excess - 1, true);
  await Promise.all(oldest.map((job) => job?.remove()));
  return oldest.length;
}

/** A job that completed after all (its failure was recorded, then a stalled retry succeeded) is no dead letter. */
export async function clearDeadLetter(deps: Pick<EnqueueDeps, 'queues'>, originalJobId: string): Promise<void> {
  await deps.queues.deadLetters.remove(deadLetterId(originalJobId));
}

function toDeadLetter(job: Job<DeadLetterData>): DeadLetter {
  return { id: job.id ?? '', ...job.data };
}

export async function listDeadLetters(deps: Pick<EnqueueDeps, 'queues'>, limit = 1000): Promise<DeadLetter[]> {
  const jobs = await deps.queues.deadLetters.getJobs(['waiting', 'prioritized', 'delayed'], 0, limit - 1, true);
  return jobs.filter((j): j is Job<DeadLetterData> => Boolean(j)).map(toDeadLetter);
}

/** Puts the job back on the jobs queue (validated and de-duplicated like a trigger), then drops the letter. */
export async function requeueDeadLetter(deps: EnqueueDeps, id: string): Promise<EnqueueResult> {
  const letter = await deps.queues.deadLetters.getJob(id);
  if (!letter) throw new DeadLetterNotFoundError(id);
  const result = await enqueueJob(deps, { name: letter.data.name, tenant: letter.data.tenant, data: letter.data.data });
  await letter.remove();
  return result;
}

export async function requeueAllDeadLetters(deps: EnqueueDeps): Promise<Array<{ id: string; result?: EnqueueResult; error?: string }>> {
  const out: Array<{ id: string; result?: EnqueueResult; error?: string }> = [];
  for (const letter of await listDeadLetters(deps)) {
    try {
      out.push({ id: letter.id, result: await requeueDeadLetter(deps, letter.id) });
    } catch (error) {
      out.push({ id: letter.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}
