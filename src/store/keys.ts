/**
 * Every Redis key this product writes outside BullMQ's own queues, in one place (LAYOUT: "only src/store knows
 * Redis key names"; the governor in src/autotask takes its keys from here too).
 *
 * All keys of one tenant share the hash tag `{<prefix>:<tenant>}`, so they live in one Redis Cluster slot and
 * multi-key Lua scripts and MULTI blocks keep working when an MSP moves to Cluster.
 */
export interface TenantKeys {
  readonly tag: string;
  /** Governor: the lease set of one endpoint's slots (ZSET token → expiry ms). */
  slots(endpoint: string): string;
  /**
   * Governor: the callers waiting for a slot of one endpoint (ZSET waiter id → expiry ms): while any waits, a
   * slot that is cooling is not taken back by the process that gave it back (docs/autotask-api.md#thread-headroom).
   */
  slotWaiters(endpoint: string): string;
  /** Governor: the endpoints that ever held a slot (SET), so /metrics can report slots in use across processes. */
  slotEndpoints: string;
  /** Governor: this deployment's requests in the rolling hour (per-minute buckets, HASH minute → count). */
  budget: string;
  /** Governor: the last ThresholdInformation read (HASH). */
  threshold: string;
  /**
   * Governor: hourly counts for the console's 24 h chart (HASH `<kind>:<hour>` → count; kinds: requests sent,
   * 429 answers, budget refusals, slot waits). At most 25 hours per kind, pruned by the governor's scripts.
   */
  budgetHours: string;
  /**
   * Governor: the slot cooling learnt from thread-limit 429s (HASH ms, at), beyond autotask.slotReleaseDelayMs;
   * it expires an hour after the last such 429 (docs/autotask-api.md#thread-headroom).
   */
  cooling: string;
  /** Entity store: one HASH per entity (id → compact JSON) and an index (ZSET id → score). */
  entity(entity: string): string;
  entityIndex(entity: string, index: string): string;
  /** Pull cursors (HASH name → value). */
  cursors: string;
  /** Idempotency ledgers (HASH key → JSON state). */
  ledger(name: string): string;
  /** Stopwatches (HASH per stopwatch) and the "one running per resource and ticket" index (HASH). */
  stopwatch(id: string): string;
  stopwatchRunning: string;
  stopwatchIndex: string;
  /** Stopped stopwatches whose time entry is not pushed yet (ZSET id → stopped ms), re-enqueued after a crash. */
  stopwatchUnpushed: string;
  /** Invoice documents built by build-invoices (HASH invoiceKey → JSON), by status. */
  invoices: string;
  /** The last build-invoices run's items left off the documents, with reasons (STRING, JSON; replaced by each run). */
  invoiceSkipped: string;
  /** Invoice status index (ZSET invoiceKey → builtAt epoch seconds), kept in the same MULTI as the documents' HASH. */
  invoiceStatus(status: string): string;
  /** Delivered invoices whose items are not all marked yet (ZSET invoiceKey → builtAt epoch seconds). */
  invoicesUnmarked: string;
  /** Set once the status index has been built from the documents a version without it wrote. */
  invoicesIndexed: string;
  /** Delivered invoices by their last change (ZSET invoiceKey → epoch ms): what retention looks at, oldest first. */
  invoicesRetention: string;
  /** Set once the retention index has been filled from the delivered index (stores written before it existed). */
  invoicesRetentionIndexed: string;
  /** Age index of a ledger (ZSET key → epoch ms of its last change), so retention reads the oldest, never all. */
  ledgerAge(name: string): string;
  /** Webhook delivery de-duplication (a STRING with expiry per delivery identity digest; store/webhook-deliveries.ts). */
  webhookSeen(guid: string): string;
  /** Webhook Deactivated notices Autotask sent (HASH guid → JSON), so ops learn a webhook was switched off. */
  webhookDeactivations: string;
  /** Short-lived locks (e.g. one build-invoices per tenant at a time). */
  lock(name: string): string;
  /**
   * First-run mode: who confirmed the tenant and when (HASH: confirmedAt, confirmedBy; no confirmedAt = not confirmed,
   * writes are dry runs), and `modeSince`, when a worker with first-run mode first saw the tenant (docs/first-run.md#upgrading).
   */
  firstRun: string;
  /** First-run mode: the last dry run of each writing job (HASH job → JSON), what a person reviews to confirm. */
  firstRunPreviews: string;
  /** tune-detection results, newest first (LIST of JSON, trimmed; store/detection-tuning.ts). */
  detectionTuning: string;
}

function safe(part: string): string {
  // Keys are built from ids and entity names; anything else is refused rather than escaped.
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(part)) throw new RangeError(`unsafe key part: ${JSON.stringify(part)}`);
  return part;
}

export function tenantKeys(prefix: string, tenantId: string): TenantKeys {
  const tag = `{${safe(prefix)}:${safe(tenantId)}}`;
  return {
    tag,
    slots: (endpoint) => `${tag}:slots:${safe(endpoint)}`,
    slotWaiters: (endpoint) => `${tag}:slot-waiters:${safe(endpoint)}`,
    slotEndpoints: `${tag}:slot-endpoints`,
    budget: `${tag}:budget`,
    threshold: `${tag}:threshold`,
    budgetHours: `${tag}:budget-hours`,
    cooling: `${tag}:cooling`,
    entity: (entity) => `${tag}:entity:${safe(entity)}`,
    entityIndex: (entity, index) => `${tag}:entity:${safe(entity)}:idx:${safe(index)}`,
    cursors: `${tag}:cursors`,
    ledger: (name) => `${tag}:ledger:${safe(name)}`,
    stopwatch: (id) => `${tag}:stopwatch:${safe(id)}`,
    stopwatchRunning: `${tag}:stopwatch-running`,
    stopwatchIndex: `${tag}:stopwatches`,
    stopwatchUnpushed: `${tag}:stopwatches-unpushed`,
    invoices: `${tag}:invoices`,
    invoiceSkipped: `${tag}:invoice-skipped`,
    invoiceStatus: (status) => `${tag}:invoices:status:${safe(status)}`,
    invoicesUnmarked: `${tag}:invoices:unmarked`,
    invoicesIndexed: `${tag}:invoices:indexed`,
    invoicesRetention: `${tag}:invoices:retention`,
    invoicesRetentionIndexed: `${tag}:invoices:retention-indexed`,
    ledgerAge: (name) => `${tag}:ledger:${safe(name)}:age`,
    webhookSeen: (guid) => `${tag}:webhook-seen:${safe(guid)}`,
    webhookDeactivations: `${tag}:webhook-deactivations`,
    lock: (name) => `${tag}:lock:${safe(name)}`,
    firstRun: `${tag}:first-run`,
    firstRunPreviews: `${tag}:first-run-previews`,
    detectionTuning: `${tag}:detection-tuning`,
  };
}
