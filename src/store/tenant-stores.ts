/**
 * Everything a tenant keeps in Redis, built in one place from the shared connection and the deployment's key
 * prefix. The runtime builds this once per tenant (src/runtime/tenant-services.ts); nothing above src/store
 * sees a Redis key or the prefix.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { InvoiceDocument } from '../rules/invoice-types.js';
import type { InvoiceWarning } from '../rules/invoice-warnings.js';
import { DetectionTuningStore } from './detection-tuning.js';
import { EntityStore } from './entity-store.js';
import { createFirstRunStore, type FirstRunStore } from './first-run.js';
import { InvoiceStore } from './invoice-store.js';
import { tryAcquireJobMutex, type JobMutexLease } from './job-mutex.js';
import { ProblemLinkLedger } from './problem-link-ledger.js';
import { ProblemSuggestionStore } from './problem-suggestions.js';
import { createStopwatchStore, type StopwatchStore } from './stopwatch-store.js';
import { createTimeEntryLedger, type TimeEntryLedger } from './time-entry-ledger.js';
import { createWebhookDeliveries, type WebhookDeliveries } from './webhook-deliveries.js';

export type TenantInvoiceStore = InvoiceStore<InvoiceDocument, InvoiceWarning>;

/** The tenant's write lease, one per job name (src/store/job-mutex.ts says why). */
export interface TenantLease {
  /** The lease, or null when another run holds it. */
  tryAcquire(name: string, leaseMs: number): Promise<JobMutexLease | null>;
}

export interface TenantStores {
  entities: EntityStore;
  invoices: TenantInvoiceStore;
  stopwatches: StopwatchStore;
  ledger: TimeEntryLedger;
  /** The incidents detect-problems linked (so a person's unlink is never undone). */
  problemLinks: ProblemLinkLedger;
  /** Problem groups waiting for a person's approval or rejection. */
  problemSuggestions: ProblemSuggestionStore;
  /** The latest tune-detection results (rules learnt from the tenant's own links, with held-out figures). */
  detectionTuning: DetectionTuningStore;
  webhooks: WebhookDeliveries;
  lease: TenantLease;
  /** First-run mode: whether a person confirmed this tenant, and the dry runs waiting for review. */
  firstRun: FirstRunStore;
}

export function createTenantStores(redis: RedisConnection, keyPrefix: string, tenantId: string): TenantStores {
  const keys = { redis, keyPrefix, tenantId };
  return {
    entities: new EntityStore(redis, keyPrefix, tenantId),
    invoices: new InvoiceStore<InvoiceDocument, InvoiceWarning>(redis, keyPrefix, tenantId),
    stopwatches: createStopwatchStore(keys),
    ledger: createTimeEntryLedger(keys),
    problemLinks: new ProblemLinkLedger(redis, keyPrefix, tenantId),
    problemSuggestions: new ProblemSuggestionStore(redis, keyPrefix, tenantId),
    detectionTuning: new DetectionTuningStore(redis, keyPrefix, tenantId),
    webhooks: createWebhookDeliveries(redis, keyPrefix, tenantId),
    lease: { tryAcquire: (name, leaseMs) => tryAcquireJobMutex({ ...keys, name, leaseMs }) },
    firstRun: createFirstRunStore(redis, keyPrefix, tenantId),
  };
}
