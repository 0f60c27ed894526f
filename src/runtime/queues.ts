/**
 * The two queues of a deployment: `jobs` (every job; name = JobName, data = {tenant, data}) and
 * `dead-letter` (jobs that used up their attempts or could not be run; never processed, only listed and
 * requeued). Both share the BullMQ prefix `{<config.queue.prefix>}`: the braces are a Redis Cluster hash tag,
 * so every key of both queues lands in one slot and BullMQ's multi-key Lua scripts (and flows) keep working.
 */
import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import type { RedisConnection } from '../lib/redis-connection.js';
import type { AppConfig } from '../../config/schema.js';

export const JOBS_QUEUE = 'jobs';
export const DEAD_LETTER_QUEUE = 'dead-letter';

/** What every job on the jobs queue carries. Never secrets: the tenant is referenced by id. */
export interface QueuedJobData {
  tenant: string;
  data: Record<string, unknown>;
}

export interface RuntimeQueues {
  prefix: string;
  jobs: Queue<QueuedJobData>;
  deadLetters: Queue<DeadLetterData>;
  flows: FlowProducer;
  close(): Promise<void>;
}

/** A dead-lettered job: enough to run it again and to tell an operator why it failed. */
export interface DeadLetterData {
  name: string;
  tenant: string;
  data: Record<string, unknown>;
  originalJobId: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: string;
}

export function bullPrefix(config: Pick<AppConfig, 'queue'>): string {
  return `{${config.queue.prefix}}`;
}

/** Attempts, backoff and trimming for every job we add (queue defaults do not reach flow children). */
export function jobOptions(config: Pick<AppConfig, 'queue'>): JobsOptions {
  const q = config.queue;
  return {
    attempts: q.attempts,
    backoff: { type: 'exponential', delay: q.backoffMs },
    removeOnComplete: { age: q.keepCompleted.ageSeconds, count: q.keepCompleted.count },
    removeOnFail: { age: q.keepFailed.ageSeconds, count: q.keepFailed.count },
  };
}

export function createQueues(connection: RedisConnection, config: Pick<AppConfig, 'queue'>): RuntimeQueues {
  const prefix = bullPrefix(config);
  const jobs = new Queue<QueuedJobData>(JOBS_QUEUE, { connection, prefix, defaultJobOptions: jobOptions(config) });
  const deadLetters = new Queue<DeadLetterData>(DEAD_LETTER_QUEUE, {
    connection, prefix,
    // Dead letters are the operator's record: kept until requeued (or trimmed by count, never by a worker).
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
  const flows = new FlowProducer({ connection, prefix });
  // The shared connection logs its errors (redis.ts, throttled); without these listeners BullMQ would print each
  // reconnect failure as a stack trace while Redis is down.
  for (const emitter of [jobs, deadLetters, flows] as Array<{ on(event: 'error', listener: (error: Error) => void): unknown }>) {
    emitter.on('error', () => undefined);
  }
  return {
    prefix, jobs, deadLetters, flows,
    async close() {
      await Promise.allSettled([jobs.close(), deadLetters.close(), flows.close()]);
    },
  };
}
