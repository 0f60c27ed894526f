/**
 * Follows the demo's `sync-all` flow to its end, printing a line per finished job (src/demo/run-demo.ts). What it reads
 * of the queue comes through FlowReader, so the order of its two reads can be tested against a scripted queue.
 */
import type { Runtime } from '../app/process.js';

export interface FinishedJob {
  id?: string | undefined;
  name: string;
  processedOn?: number | undefined;
  finishedOn?: number | undefined;
  failedReason?: string | undefined;
  returnvalue?: { summary?: unknown } | null | undefined;
}

export interface FlowReader {
  /** The root job's state ('completed', 'failed', … or 'unknown' when it is gone) and, when it failed, why. */
  root(): Promise<{ state: string; failedReason?: string | undefined }>;
  /** The jobs finished so far, the root's children and the root itself. */
  finished(): Promise<FinishedJob[]>;
}

export function queueFlowReader(runtime: Runtime, jobId: string): FlowReader {
  return {
    root: async () => {
      const job = await runtime.queues.jobs.getJob(jobId);
      if (!job) return { state: 'unknown' };
      const state = await job.getState();
      // Read again once it failed: the copy read before the state may predate the failure and lack its reason.
      return { state, failedReason: state === 'failed' ? (await runtime.queues.jobs.getJob(jobId))?.failedReason : undefined };
    },
    finished: () => runtime.queues.jobs.getJobs(['completed', 'failed'], 0, 50),
  };
}

export async function followFlow(reader: FlowReader, onProgress: (line: string) => void, pollMs = 150): Promise<void> {
  const seen = new Set<string>();
  for (;;) {
    // The root's state is read before the finished jobs are listed. Read after, a root that finished in between was
    // returned on without its own line (seen once beside a CPU hog: the summary lacked "✓ sync-all").
    const root = await reader.root();
    const jobs = await reader.finished();
    for (const job of jobs.sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0))) {
      if (!job.id || seen.has(job.id)) continue;
      seen.add(job.id);
      const seconds = job.finishedOn && job.processedOn ? ((job.finishedOn - job.processedOn) / 1000).toFixed(1) : '?';
      const summary = job.failedReason ? `FAILED: ${job.failedReason}` : String(job.returnvalue?.summary ?? '').split('\n')[0];
      onProgress(`  ${job.failedReason ? '✗' : '✓'} ${job.name.padEnd(19)} ${seconds.padStart(5)} s  ${summary}`);
    }
    if (root.state === 'completed') return;
    if (root.state === 'failed' || root.state === 'unknown') throw new Error(`sync-all ${root.state}: ${root.failedReason ?? 'job vanished'}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
