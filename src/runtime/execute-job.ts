/**
 * The one code path that runs a job, under the BullMQ worker and under `autotask-sync run`: validate the
 * envelope and the data (zod), resolve the tenant's scope (client and stores), bind a logger to job and tenant, call the handler.
 * Errors propagate as they are (AppError subclasses keep their `retryable` verdict); the caller decides what a
 * failure means (processor.ts: retry, delay, dead-letter; run: exit 1).
 */
import type { JobDefinition, JobResult } from '../../jobs/define-job.js';
import type { RuntimeServices } from './services.js';
import { parseEnvelope, parseJobData } from './job-data.js';
import { runBudget, tallyRequests } from '../autotask/index.js';
import { budgetProgress, describeRequestCost, plannedRequests, requestCost } from '../rules/request-cost.js';

export interface ExecuteOptions {
  dryRun: boolean;
  signal: AbortSignal;
  jobId: string;
  progress(value: Record<string, unknown>): Promise<void>;
}

export async function executeJob(
  definition: JobDefinition,
  rawData: unknown,
  services: RuntimeServices,
  options: ExecuteOptions,
): Promise<JobResult> {
  const envelope = parseEnvelope(rawData);
  const data: unknown = parseJobData(definition, envelope.data);
  const scope = services.tenants.get(envelope.tenant);
  const logger = services.logger.child({ job: definition.name, jobId: options.jobId, tenant: scope.tenant.id });
  options.signal.throwIfAborted();
  logger.debug({ dryRun: options.dryRun }, 'job started');
  // A run's budget note, once it has one, rides along on every later progress value (pages, groups), so what the
  // dashboard shows always says the run is spreading itself over the hours.
  let budgetNote: { budget: Record<string, unknown> } | null = null;
  const progress = (value: Record<string, unknown>): Promise<void> =>
    options.progress(budgetNote && !('budget' in value) ? { ...value, ...budgetNote } : value);
  const planRequests = async (requests: number): Promise<void> => {
    if (options.dryRun || requests <= 0) return;
    // Measured against the governor's figures (shared in Redis). Before any ThresholdInformation read they are the
    // documented default; a run that then runs out of budget still says so (processor.ts, budget.waitingUntil).
    // Reading ThresholdInformation here instead let the deployment pass its ceiling by one request (faults/budget.test.ts).
    const known = await scope.client.budget().catch(() => scope.client.metrics().budget);
    budgetNote = budgetProgress(requests, runBudget(known, services.config.autotask.budgetFraction), services.now());
    if (budgetNote) await options.progress(budgetNote);
  };
  // Every Autotask request the run sends is counted for its result (docs/request-cost.md).
  const { value: result, tally } = await tallyRequests(() => definition.handler({
    jobId: options.jobId,
    data,
    scope,
    config: services.config,
    logger,
    signal: options.signal,
    progress,
    planRequests,
    dryRun: options.dryRun,
    now: services.now,
  }));
  // A dry run's cost is a forecast: the reads it made plus one request per planned Autotask write.
  const planned = options.dryRun ? plannedRequests(result.writes ?? []) : [];
  // The work is done: a failed budget read must not fail the run (its retry would redo it); the last figures do.
  const known = await scope.client.budget().catch(() => scope.client.metrics().budget);
  const budget = runBudget(known, services.config.autotask.budgetFraction);
  const cost = requestCost({ kind: options.dryRun ? 'forecast' : 'spent', lines: [...tally.list(), ...planned], budget, now: services.now() });
  result.requestCost = cost;
  // A job that neither sent nor plans any Autotask request keeps its summary as it is.
  if (cost.total > 0) result.summary = `${result.summary}\n${describeRequestCost(cost)}`;
  if (options.dryRun && cost.spreadsUntil !== null) {
    await options.progress({ budget: { needed: cost.total, left: cost.left, spreadsUntil: cost.spreadsUntil } });
  }
  logger.info({ counts: result.counts }, result.summary.split('\n')[0] ?? 'job done');
  return result;
}
