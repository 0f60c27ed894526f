/**
 * One BullMQ worker on the jobs queue. Lock duration comes from config: a long API-bound job (thousands of
 * tickets at 3 slots per endpoint, docs/autotask-api.md#thread-limit) renews its lock every lockDuration/2 while it runs,
 * so it is not declared stalled and run twice. Draining on shutdown: stop taking jobs, give running ones
 * `graceMs`, then abort them (they go back to the queue, see processor.ts) and close.
 */
import { DelayedError, WaitingChildrenError, Worker } from 'bullmq';
import { performance } from 'node:perf_hooks';
import type { RedisConnection } from '../lib/redis-connection.js';
import type { JobResult } from '../../jobs/define-job.js';
import { sleep } from '../lib/sleep.js';
import { clearDeadLetter, recordDeadLetter } from './dead-letter.js';
import { childCount } from './flows.js';
import { createProcessor, failureReason, type ProcessorDeps } from './processor.js';
import { JOBS_QUEUE, type QueuedJobData } from './queues.js';

export interface JobObserver {
  /** One attempt ended: completed, failed (retried or for good), or parked (budget wait, waiting for its stages). */
  jobFinished(name: string, status: 'completed' | 'failed' | 'parked', seconds: number): void;
}

export interface RuntimeWorker {
  worker: Worker<QueuedJobData, JobResult>;
  /** Jobs this worker is running now. */
  activeCount(): number;
  /** Stops taking jobs, lets running ones finish within graceMs, then aborts the rest and closes. */
  drain(graceMs: number): Promise<{ abortedJobs: number }>;
}

export interface WorkerDeps extends Omit<ProcessorDeps, 'isShuttingDown'> {
  connection: RedisConnection;
  observer?: JobObserver;
}

export function startWorker(deps: WorkerDeps): RuntimeWorker {
  const { services, queues } = deps;
  const q = services.config.queue;
  let shuttingDown = false;
  let active = 0;
  let idle: (() => void) | undefined;
  const processor = createProcessor({ ...deps, isShuttingDown: () => shuttingDown });

  const worker = new Worker<QueuedJobData, JobResult>(JOBS_QUEUE, async (job, token, signal) => {
    active += 1;
    const started = performance.now();
    let status: 'completed' | 'failed' | 'parked' = 'failed';
    try {
      const result = await processor(job, token, signal);
      status = 'completed';
      return result;
    } catch (error) {
      if (error instanceof DelayedError || error instanceof WaitingChildrenError) status = 'parked';
      throw error;
    } finally {
      deps.observer?.jobFinished(job.name, status, (performance.now() - started) / 1000);
      active -= 1;
      if (active === 0) idle?.();
    }
  }, {
    connection: deps.connection,
    prefix: queues.prefix,
    concurrency: q.concurrency,
    lockDuration: q.lockDurationMs,
    // How often this worker looks for jobs whose holder died (its lock expired); with lockDuration it bounds how
    // long a crashed worker's job waits before another worker takes it.
    stalledInterval: q.stalledIntervalMs,
    maxStalledCount: 1,
  });

  const log = services.logger.child({ component: 'worker' });
  worker.on('error', (error) => log.error({ err: error }, 'worker error'));
  worker.on('completed', (job) => {
    // A job that ran more than once may have been dead-lettered by an earlier run that then stalled.
    if (job.attemptsStarted > 1 && job.id) {
      clearDeadLetter({ queues }, job.id).catch((error: unknown) => log.warn({ err: error }, 'could not clear dead letter'));
    }
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    void (async () => {
      // Failures the processor did not see (a job that stalled too often) still reach the dead-letter queue;
      // a parent failed by its child is not one: the child is the dead letter.
      if ((await job.getState()) !== 'failed') return;
      if ((await childCount(job)) > 0) return;
      await recordDeadLetter({ queues }, job, failureReason(error), job.attemptsMade, services.now());
    })().catch((err: unknown) => log.warn({ err }, 'could not record dead letter'));
  });

  return {
    worker,
    activeCount: () => active,
    async drain(graceMs) {
      shuttingDown = true;
      let abortedJobs = 0;
      await worker.pause(true);
      const finished = active === 0 ? Promise.resolve() : new Promise<void>((resolve) => { idle = resolve; });
      // The timers are cancelled once the race is decided: a pending timer would keep the process alive after close.
      const timers = new AbortController();
      const timeout = (ms: number): Promise<boolean> => sleep(ms, timers.signal).then(() => false, () => false);
      try {
        // Running jobs are asked to stop at once: each stops at its next safe point (between two writes, after a
        // page is stored, after a delivery is recorded), keeps its checkpoint and goes back to the queue without
        // spending an attempt. A write in flight is let finish (src/autotask/request.ts). Waiting for whole runs
        // instead would outlast a container's stop timeout (docker stop: 10 s) and end in SIGKILL.
        if (active > 0) {
          abortedJobs = active;
          log.info({ running: active, graceMs }, 'stopping running jobs at their next safe point; they go back to the queue');
          worker.cancelAllJobs('shutdown');
        }
        const inTime = await Promise.race([finished.then(() => true), timeout(graceMs)]);
        if (!inTime) log.warn({ running: active, graceMs }, 'running jobs did not reach a safe point within the grace period; closing anyway');
      } finally {
        timers.abort();
      }
      await worker.close(active > 0);
      return { abortedJobs };
    },
  };
}
