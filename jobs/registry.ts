/**
 * The jobs this deployment runs, listed explicitly (no folder scan): a newcomer reads here what exists. Everything
 * else about them derives from their definitions: which ones take the tenant's lease (`writesToTenant`) and the
 * sync-all flow (each job's `syncAllStage`, in the order listed here).
 *
 * The runtime takes a `JobRegistry`, never this module directly, so tests pass registries of their own.
 */
import type { FlowPlan, JobDefinition } from './define-job.js';
import type { JobName } from '../src/lib/job-names.js';
import { buildInvoicesJob } from './build-invoices.js';
import { detectProblemsJob } from './detect-problems.js';
import { pushTimeEntriesJob } from './push-time-entries.js';
import { syncAllJob } from './sync-all.js';
import { syncBillingItemsJob } from './sync-billing-items.js';
import { syncContractsJob } from './sync-contracts.js';
import { syncTicketsJob } from './sync-tickets.js';
import { tuneDetectionJob } from './tune-detection.js';

export type { FlowPlan };

export interface JobRegistry {
  jobs: ReadonlyMap<string, JobDefinition>;
  flows: ReadonlyMap<string, FlowPlan>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition keeps its own data type
export const jobDefinitions: JobDefinition<any>[] = [
  syncContractsJob,
  syncBillingItemsJob,
  syncTicketsJob,
  buildInvoicesJob,
  detectProblemsJob,
  pushTimeEntriesJob,
  tuneDetectionJob,
  syncAllJob,
];

/** The sync-all flow of a list of definitions: their `syncAllStage`s, in list order. */
export function syncAllPlanOf(definitions: readonly Pick<JobDefinition, 'name' | 'syncAllStage'>[]): FlowPlan {
  const at = (stage: JobDefinition['syncAllStage']): JobName[] => definitions.filter((d) => d.syncAllStage === stage).map((d) => d.name);
  return { parallel: at('parallel'), chain: at('chain') };
}

export const syncAllPlan: FlowPlan = syncAllPlanOf(jobDefinitions);

export const registry: Map<JobName, JobDefinition> = new Map(jobDefinitions.map((d) => [d.name, d as JobDefinition]));

export const flowPlans: Map<JobName, FlowPlan> = new Map([['sync-all', syncAllPlan]]);

export const jobRegistry: JobRegistry = { jobs: registry, flows: flowPlans };
