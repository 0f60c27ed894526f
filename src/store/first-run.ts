/**
 * First-run mode, per tenant (docs/first-run.md). A new install does not write to a tenant before a person has
 * seen what it would do: until the tenant is confirmed, the jobs that run by themselves (schedules, triggers,
 * webhooks) run their writing stages as dry runs and leave their result here for review. `autotask-sync
 * confirm` (or the console) records who confirmed and when; from then on, writes go out as configured.
 * The state lives in Redis beside the tenant's other state, so every worker of a deployment sees the same answer.
 */
import type { RedisConnection as Redis } from '../lib/redis-connection.js';
import { tenantKeys } from './keys.js';

export interface FirstRunPreview {
  job: string;
  at: string;
  summary: string;
  /** How many writes the dry run would have made. */
  wouldWrite: number;
}

export interface FirstRunState {
  tenant: string;
  confirmed: boolean;
  confirmedAt?: string;
  confirmedBy?: string;
  previews: FirstRunPreview[];
}

export interface FirstRunStore {
  isConfirmed(): Promise<boolean>;
  state(): Promise<FirstRunState>;
  /** Idempotent: a second confirmation keeps the first one's time and name. */
  confirm(by: string, now: Date): Promise<FirstRunState>;
  recordPreview(preview: FirstRunPreview): Promise<void>;
  /**
   * At a worker's start: a tenant that wrote before first-run mode existed (a deployment upgraded from an earlier
   * version) is confirmed "by upgrade", so its writes do not silently turn into dry runs. Decided once per tenant:
   * the first start of a version with first-run mode records that it has seen the tenant, so on a new install the
   * writes of a later explicit `run` do not count as an upgrade. Returns the number of ledger entries found when it
   * confirmed, else undefined.
   */
  adoptUpgrade(now: Date): Promise<number | undefined>;
}

/** Ledgers that only a real write fills (a dry run writes none): delivered items, marks, problem links, time entries. */
const WRITE_LEDGERS = ['invoice-items', 'webservice-marks', 'problem-links', 'time-entries'] as const;
export const UPGRADE_CONFIRMED_BY = 'upgrade (this tenant had written before first-run mode existed)';

export function createFirstRunStore(redis: Redis, keyPrefix: string, tenantId: string): FirstRunStore {
  const keys = tenantKeys(keyPrefix, tenantId);
  const state = async (): Promise<FirstRunState> => {
    const [confirmation, previews] = await Promise.all([redis.hgetall(keys.firstRun), redis.hvals(keys.firstRunPreviews)]);
    return {
      tenant: tenantId,
      confirmed: confirmation.confirmedAt !== undefined,
      ...(confirmation.confirmedAt ? { confirmedAt: confirmation.confirmedAt } : {}),
      ...(confirmation.confirmedBy ? { confirmedBy: confirmation.confirmedBy } : {}),
      previews: previews.map((v) => JSON.parse(v) as FirstRunPreview).sort((a, b) => a.job.localeCompare(b.job)),
    };
  };
  return {
    async isConfirmed() {
      return (await redis.hexists(keys.firstRun, 'confirmedAt')) === 1;
    },
    state,
    async confirm(by, now) {
      // HSETNX: two admins confirming at once leave one record, the first.
      await redis.hsetnx(keys.firstRun, 'confirmedAt', now.toISOString());
      await redis.hsetnx(keys.firstRun, 'confirmedBy', by);
      return state();
    },
    async recordPreview(preview) {
      await redis.hset(keys.firstRunPreviews, preview.job, JSON.stringify(preview));
    },
    async adoptUpgrade(now) {
      const seen = await redis.hget(keys.firstRun, 'modeSince');
      if (seen !== null) return undefined;
      let written = 0;
      if ((await redis.hexists(keys.firstRun, 'confirmedAt')) === 0) {
        const sizes = await Promise.all(WRITE_LEDGERS.map((name) => redis.hlen(keys.ledger(name))));
        written = sizes.reduce((a, b) => a + b, 0);
        if (written > 0) {
          await redis.hsetnx(keys.firstRun, 'confirmedAt', now.toISOString());
          await redis.hsetnx(keys.firstRun, 'confirmedBy', UPGRADE_CONFIRMED_BY);
        }
      }
      await redis.hsetnx(keys.firstRun, 'modeSince', now.toISOString());
      return written > 0 ? written : undefined;
    },
  };
}
