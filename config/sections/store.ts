import { z } from 'zod';

/**
 * The `store` section: how long the exactly-once ledgers keep what they recorded (docs/store-bounds.md#retention).
 * The floor is far above Autotask's 6-minute request lifetime (a lost create can land only that late) and a week, the
 * default life of a failed job that a person may retry; fileSchema also checks it against the queue's own retry
 * horizon and failed-job retention.
 */
export const RETENTION_FLOOR_DAYS = 7;

export const storeSection = z.strictObject({
  retentionDays: z.number().int().min(RETENTION_FLOOR_DAYS).max(3_650).default(90)
    .describe('delivered invoices, their items\' ledgers, pushed time entries, problem links of tickets no longer pulled and pushed stopwatches are dropped this many days after their last change, a bounded batch per run; Autotask\'s own state is re-read before every such write, so a dropped record is never written twice'),
}).prefault({});
