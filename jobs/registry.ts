/**
 * The jobs this deployment runs, listed explicitly (no folder scan): a newcomer reads here what exists.
 * Handlers of INTERFACE.md arrive with later issues; each one is added to `jobDefinitions` and, when it is a
 * stage of sync-all, it is already named in `syncAllPlan` (jobs/sync-all.ts).
 *
 * The runtime takes a `JobRegistry`, never this module directly, so tests pass registries of their own.
 */
import type { JobDefinition } from './define-job.js';
import type { JobName } from '../src/lib/job-names.js';
import { buildInvoicesJob } from './build-invoices.js';
import { detectProblemsJob } from './detect-problems.js';
import { pushTimeEntriesJob } from './push-time-entries.js';
import { syncAllJob, syncAllPlan } from './sync-all.js';
import { syncBillingItemsJob } from './sync-billing-items.js';
import { syncContractsJob } from './sync-contracts.js';
import { syncTicketsJob } from './sync-tickets.js';

/**
 * A job that is a BullMQ flow: the `parallel` jobs first (siblings), then each `chain` job in order, each one
 * the parent of the one before. The flow job itself runs last and summarises its stages.
 */
export interface FlowPlan {
  parallel: readonly JobName[];
  chain: readonly JobName[];
}

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
  syncAllJob,
];

export const registry: Map<JobName, JobDefinition> = new Map(jobDefinitions.map((d) => [d.name, d as JobDefinition]));

export const flowPlans: Map<JobName, FlowPlan> = new Map([['sync-all', syncAllPlan]]);

export const jobRegistry: JobRegistry = { jobs: registry, flows: flowPlans };
