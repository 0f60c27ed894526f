/** What a pull needs: the tenant's client and store, the pull settings, and the job's clock, signal and progress. */
import type { AppConfig } from '../../config/schema.js';
import type { AutotaskClient } from '../autotask/types.js';
import type { Logger } from '../lib/logger.js';
import type { EntityStore } from '../store/entity-store.js';

export interface PullContext {
  client: AutotaskClient;
  store: EntityStore;
  settings: AppConfig['pull'];
  now: Date;
  signal: AbortSignal;
  logger: Logger;
  /** Reads and counts only; stores nothing and moves no cursor. */
  dryRun: boolean;
  progress(value: Record<string, unknown>): Promise<void>;
}

export interface PullResult {
  /** Records read from Autotask. */
  read: number;
  /** Records written to the store (0 in a dry run). */
  stored: number;
  /** Records removed from the store (left the open set, pruned by the look-back). */
  removed: number;
  mode: 'full' | 'incremental';
  /** True when this run continued a pull that had stopped mid-way. */
  resumed: boolean;
  cursor: string | null;
  /** Records kept but set aside because a field could not be read exactly (BillingItems), with why. */
  setAside?: Array<{ id: number; reason: string }>;
}
