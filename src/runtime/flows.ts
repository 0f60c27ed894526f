/**
 * Flow jobs (registry `flows`, e.g. sync-all): expansion into a BullMQ flow under the running job, collection
 * of the stages' outcomes once they completed, and the same stages run in process for `autotask-sync run`.
 *
 * Convention for a flow job's data: `stageData[<job>]` is the data of that stage (default `{}`), and the
 * runtime passes the outcomes to the flow's own handler as `data.stages`.
 */
import type { FlowJob, FlowJobNode, Job } from 'bullmq';
import type { JobDefinition, JobResult, StageOutcome } from '../../jobs/define-job.js';
import type { FlowPlan, JobRegistry } from '../../jobs/registry.js';
import { AppError, errorMessage, InputError } from '../lib/errors.js';
import { executeJob, type ExecuteOptions } from './execute-job.js';
import { executeExclusive } from './exclusive.js';
import { parseJobData } from './job-data.js';
import { formatZodIssues } from '../lib/zod-issues.js';
import { JOBS_QUEUE, jobOptions, type QueuedJobData, type RuntimeQueues } from './queues.js';
import { warningTexts } from './job-warnings.js';
import type { RuntimeServices } from './services.js';

/** A stage that failed for good, with its own reason (never BullMQ's "child … failed"). */
export interface StageFailure {
  job: string;
  jobId: string;
  reason: string;
}

/** What the flow's handler is given once every stage ran: `data.stages` and `data.failures`. */
export interface FlowOutcomes {
  stages: StageOutcome[];
  failures: StageFailure[];
}

/** A stage of an in-process flow failed; keeps the stage's code and retry verdict. */
export class StageFailedError extends AppError {
  constructor(stage: string, cause: unknown) {
    const code = cause instanceof AppError ? `${cause.code}: ` : '';
    super('JOB_STAGE_FAILED', `stage ${stage} failed: ${code}${errorMessage(cause)}`, {
      cause, retryable: cause instanceof AppError ? cause.retryable : true, details: { stage },
    });
  }
}

export class StageMissingError extends AppError {
  constructor(flow: string, missing: string[]) {
    super('JOB_STAGE_MISSING', `${flow}: no handler registered for stage ${missing.join(', ')}`, { details: { flow, missing } });
  }
}

export function planStages(plan: FlowPlan): string[] {
  return [...plan.parallel, ...plan.chain];
}

export function assertStagesRegistered(flow: string, plan: FlowPlan, registry: JobRegistry): void {
  const missing = planStages(plan).filter((name) => !registry.jobs.has(name));
  if (missing.length > 0) throw new StageMissingError(flow, missing);
}

function stageDataOf(flowData: Record<string, unknown>, stage: string): Record<string, unknown> {
  const all = flowData.stageData;
  if (typeof all !== 'object' || all === null) return {};
  const value = (all as Record<string, unknown>)[stage];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/**
 * A flow's own data and the data of each registered stage (`stageData[<job>]`), checked together before any
 * stage runs: bad stage data is refused at the door naming `data.stageData.<job>.<field>`, instead of being
 * queued and failing the flow later, or (in process) after earlier stages already wrote to the tenant.
 */
export function parseFlowData(definition: JobDefinition, plan: FlowPlan, registry: JobRegistry, data: unknown): unknown {
  const parsed = parseJobData(definition, data);
  const flowData = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const stage of planStages(plan)) {
    const stageDefinition = registry.jobs.get(stage);
    if (!stageDefinition) continue;
    const result = stageDefinition.schema.safeParse(stageDataOf(flowData, stage));
    if (!result.success) problems.push(formatZodIssues(result.error, `data.stageData.${stage}`));
  }
  if (problems.length > 0) throw new InputError(`${definition.name} ${problems.join('; ')}`, { job: definition.name });
  return parsed;
}

/** How many children a job has (a flow job once expanded; a parent failed by its child), in any state. */
export async function childCount(job: Job): Promise<number> {
  const counts = await job.getDependenciesCount();
  return (counts.processed ?? 0) + (counts.unprocessed ?? 0) + (counts.failed ?? 0) + (counts.ignored ?? 0);
}

/**
 * Adds the plan's stages as children of `parent` (a chain after a parallel start; see jobs/sync-all.ts). A stage
 * that fails does not fail the jobs above it (`ignoreDependencyOnFailure`): the chain orders the stories, it does
 * not make them depend on each other (issue 14 item 3). A stage that needs another one's data checks that itself
 * (build-invoices refuses to run on an incomplete billing-item pull), so it also holds outside the flow.
 */
export async function expandFlow(queues: RuntimeQueues, services: Pick<RuntimeServices, 'config'>, plan: FlowPlan,
  parent: Job<QueuedJobData>): Promise<void> {
  const opts = { ...jobOptions(services.config), ignoreDependencyOnFailure: true };
  const envelope = (name: string): QueuedJobData => ({ tenant: parent.data.tenant, data: stageDataOf(parent.data.data, name) });
  const parentRef = { id: parent.id ?? '', queue: parent.queueQualifiedName };
  let level: FlowJobNode[] = plan.parallel.map((name) => ({ name, queueName: JOBS_QUEUE, data: envelope(name), opts }));
  for (const name of plan.chain) level = [{ name, queueName: JOBS_QUEUE, data: envelope(name), opts, children: level }];
  const roots: FlowJob[] = level.map((node) => ({ ...node, opts: { ...node.opts, parent: parentRef } }) as FlowJob);
  await queues.flows.addBulk(roots);
}

/** Outcomes of every completed stage and the failures of every failed one under `root`, in plan order. */
export async function collectStageOutcomes(queues: RuntimeQueues, plan: FlowPlan, root: Job): Promise<FlowOutcomes> {
  const stages: StageOutcome[] = [];
  const failures: StageFailure[] = [];
  const idOf = (job: Job, key: string): string => key.slice(job.queueQualifiedName.length + 1);
  const visit = async (job: Job): Promise<void> => {
    const values = await job.getChildrenValues<JobResult>();
    for (const [key, value] of Object.entries(values)) {
      const id = idOf(job, key);
      const child = await queues.jobs.getJob(id);
      stages.push({ job: child?.name ?? 'unknown', jobId: id, summary: String(value?.summary ?? ''), counts: value?.counts ?? {} });
      if (child) await visit(child);
    }
    for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
      const id = idOf(job, key);
      const child = await queues.jobs.getJob(id);
      failures.push({ job: child?.name ?? 'unknown', jobId: id, reason: child?.failedReason || reason });
      if (child) await visit(child);
    }
  };
  await visit(root);
  const order = planStages(plan);
  const byPlan = (a: { job: string }, b: { job: string }): number => order.indexOf(a.job) - order.indexOf(b.job);
  return { stages: stages.sort(byPlan), failures: failures.sort(byPlan) };
}

/** `run <flow>`: the same stages through executeJob, in order (parallel ones together), then the flow's handler. */
export async function runFlowInProcess(name: string, definition: JobDefinition, plan: FlowPlan, rawData: QueuedJobData,
  registry: JobRegistry, services: RuntimeServices, options: ExecuteOptions): Promise<JobResult> {
  // The flow's own data is otherwise parsed only after every stage ran (and wrote).
  parseFlowData(definition, plan, registry, rawData.data);
  assertStagesRegistered(name, plan, registry);
  const stages: StageOutcome[] = [];
  const failures: StageFailure[] = [];
  const runStage = async (stage: string, signal: AbortSignal): Promise<void> => {
    const stageDefinition = registry.jobs.get(stage)!;
    const jobId = `${options.jobId}:${stage}`;
    try {
      const result = await executeExclusive(stageDefinition, { tenant: rawData.tenant, data: stageDataOf(rawData.data, stage) },
        services, { ...options, jobId, signal, progress: (value) => options.progress({ stage, ...value }) });
      const warnings = warningTexts(result);
      stages.push({ job: stage, jobId, summary: result.summary, counts: result.counts, ...(warnings.length ? { warnings } : {}) });
    } catch (error) {
      // As under the worker: a failed stage is reported, and every other stage still runs (expandFlow says why).
      if (options.signal.aborted) throw error instanceof StageFailedError ? error : new StageFailedError(stage, error);
      failures.push({ job: stage, jobId, reason: error instanceof AppError ? `${error.code}: ${errorMessage(error)}` : errorMessage(error) });
    }
  };
  await Promise.all(plan.parallel.map((stage) => runStage(stage, options.signal)));
  for (const stage of plan.chain) await runStage(stage, options.signal);
  const order = planStages(plan);
  const byPlan = (a: { job: string }, b: { job: string }): number => order.indexOf(a.job) - order.indexOf(b.job);
  return executeJob(definition, { tenant: rawData.tenant, data: { ...rawData.data, stages: stages.sort(byPlan), failures: failures.sort(byPlan) } },
    services, options);
}
