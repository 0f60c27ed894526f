/** Queue commands: add a job (trigger, POST /api/jobs), read one job's state, and the dead-letter queue. */
import { AppError } from '../../lib/errors.js';
import { listDeadLetters, requeueAllDeadLetters, requeueDeadLetter, type DeadLetter } from '../dead-letter.js';
import { enqueueJob, type EnqueueRequest, type EnqueueResult } from '../enqueue.js';
import { enqueueDepsOf, type CommandContext } from './context.js';

export class JobNotFoundError extends AppError {
  constructor(id: string) { super('JOB_NOT_FOUND', `no job with id "${id}" (it may have been trimmed)`, { details: { id } }); }
}

export interface JobStatus {
  id: string | undefined;
  name: string;
  tenant: string | undefined;
  state: string;
  progress: unknown;
  attemptsMade: number;
  attempts: number;
  createdAt: string;
  processedAt: string | null;
  finishedAt: string | null;
  runsAt?: string;
  result?: unknown;
  failedReason?: string;
}

export interface JobCommands {
  enqueue(request: EnqueueRequest): Promise<EnqueueResult>;
  /** JOB_NOT_FOUND when there is no such job (never added, or trimmed). */
  jobStatus(id: string): Promise<JobStatus>;
  listDeadLetters(): Promise<DeadLetter[]>;
  requeueDeadLetter(id: string): Promise<EnqueueResult>;
  requeueAllDeadLetters(): ReturnType<typeof requeueAllDeadLetters>;
}

export function createJobCommands(ctx: CommandContext): JobCommands {
  const deps = enqueueDepsOf(ctx);
  return {
    enqueue: (request) => enqueueJob(deps, request),
    async jobStatus(id) {
      // State first, then the job: a job read before its state could be an older copy than the state says
      // (read while active, reported as completed without its result).
      const state = await ctx.queues.jobs.getJobState(id);
      const job = state === 'unknown' ? undefined : await ctx.queues.jobs.getJob(id);
      if (!job) throw new JobNotFoundError(id);
      return {
        id: job.id,
        name: job.name,
        tenant: job.data?.tenant,
        state,
        progress: job.progress,
        attemptsMade: job.attemptsMade,
        attempts: job.opts.attempts ?? 1,
        createdAt: new Date(job.timestamp).toISOString(),
        processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
        finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        ...(state === 'delayed' ? { runsAt: new Date(job.timestamp + (job.delay ?? 0)).toISOString() } : {}),
        ...(state === 'completed' ? { result: job.returnvalue } : {}),
        ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      };
    },
    listDeadLetters: () => listDeadLetters(deps),
    requeueDeadLetter: (id) => requeueDeadLetter(deps, id),
    requeueAllDeadLetters: () => requeueAllDeadLetters(deps),
  };
}
