/**
 * `sync-all`: the whole pipeline for one tenant as one BullMQ flow.
 *
 * Shape (a chain after a parallel start):
 *
 *     sync-all ← push-time-entries ← detect-problems ← build-invoices ← [sync-contracts, sync-billing-items, sync-tickets]
 *
 * BullMQ runs a parent only after all its children completed, and a job has exactly one parent, so "the three
 * rule/push jobs after the three pulls" is a tree only if one rule job hosts the pulls; the other two follow it.
 * The chain also keeps the rule/push jobs from competing for the tenant's 3 slots per endpoint and its hourly
 * budget (docs/autotask-api.md#request-threshold) at the same moment. The chain orders the stories; it does not chain their fates: a stage that fails does
 * not stop the others (issue 14 item 3 — a bad billing item must not stop the time entries). A stage that needs
 * another's data checks it itself: build-invoices refuses unless the last billing-item pull completed. Once every
 * stage ran, sync-all fails if any stage failed, naming each failed stage with its own reason.
 *
 * The flow is expanded when the sync-all job is first processed (not when it is enqueued), so a scheduled or
 * de-duplicated sync-all is an ordinary job until then. `run sync-all` runs the same stages in process, in order.
 * The runtime hands this handler the stages' outcomes in `data.stages`.
 */
import { z } from 'zod';
import { AppError } from '../src/lib/errors.js';
import { defineJob } from './define-job.js';
import { JOB_NAMES } from '../src/lib/job-names.js';
import { plural } from '../src/lib/plural.js';

const stageOutcome = z.object({
  job: z.enum(JOB_NAMES),
  jobId: z.string(),
  summary: z.string(),
  counts: z.record(z.string(), z.number()).default({}),
});

const stageFailure = z.object({ job: z.string(), jobId: z.string(), reason: z.string() });

/** One or more stages failed for good; the others ran. Retrying the flow would not re-run them: not retryable. */
export class StagesFailedError extends AppError {
  constructor(failures: ReadonlyArray<z.infer<typeof stageFailure>>, completed: ReadonlyArray<z.infer<typeof stageOutcome>>) {
    super('JOB_STAGE_FAILED', `${failures.map((f) => `stage ${f.job} failed: ${f.reason}`).join('; ')}` +
      ` (${completed.length} other stage(s) completed${completed.length ? `: ${completed.map((s) => s.job).join(', ')}` : ''})`,
    { details: { failed: failures.map((f) => ({ job: f.job, jobId: f.jobId, reason: f.reason })), completed: completed.map((s) => s.job) } });
  }
}

export const syncAllSchema = z.strictObject({
  /** Data for individual stages, by job name (e.g. `{"sync-tickets": {"full": true}}`); default `{}` each. */
  stageData: z.partialRecord(z.enum(JOB_NAMES), z.record(z.string(), z.unknown())).default({}),
  /** Filled by the runtime once the stages ran; not part of a trigger. */
  stages: z.array(stageOutcome).default([]),
  /** Filled by the runtime: the stages that failed for good, each with its own reason. */
  failures: z.array(stageFailure).default([]),
});

export const syncAllJob = defineJob({
  name: 'sync-all',
  description: 'pull contracts, billing items and tickets, then build invoices, detect problems and push time entries',
  schema: syncAllSchema,
  // Its stages write; the flow job itself only summarises them.
  writesToTenant: false,
  async handler(ctx) {
    if (ctx.data.failures.length > 0) throw new StagesFailedError(ctx.data.failures, ctx.data.stages);
    const counts: Record<string, number> = { stages: ctx.data.stages.length };
    for (const stage of ctx.data.stages) {
      for (const [key, value] of Object.entries(stage.counts)) counts[`${stage.job}.${key}`] = value;
    }
    const lines = ctx.data.stages.map((s) => `${s.job}: ${s.summary}`);
    return { summary: `sync-all for ${ctx.scope.tenant.id}: ${plural(ctx.data.stages.length, 'stage')}\n${lines.join('\n')}`, counts, stages: ctx.data.stages };
  },
});
