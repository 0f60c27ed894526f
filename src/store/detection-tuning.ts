/**
 * The tune-detection results of one tenant (issue 15, item 3; docs/problem-detection.md#tuning): the rules learnt
 * from the tenant's own links, their held-out figures and when. detect-problems reads the latest to decide whether
 * the tuned rules replace the configured ones (src/rules/detection-tuning.ts, chooseRuleSets); the API lists them.
 *
 * Layout: one LIST, newest first, each entry the result's JSON. Bounded: LPUSH and LTRIM in one MULTI keep the
 * latest MAX_KEPT, so a daily schedule never grows it.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { TuningResult } from '../rules/detection-tuning.js';
import { tenantKeys } from './keys.js';

export const MAX_KEPT = 5;

export interface StoredTuning extends TuningResult {
  /** When the tuning ran (ISO). */
  at: string;
  /** Tickets the tuning read from the store. */
  tickets: number;
}

export class DetectionTuningStore {
  private readonly key: string;

  constructor(private readonly redis: RedisConnection, keyPrefix: string, tenantId: string) {
    this.key = tenantKeys(keyPrefix, tenantId).detectionTuning;
  }

  async record(result: StoredTuning): Promise<void> {
    await this.redis.multi().lpush(this.key, JSON.stringify(result)).ltrim(this.key, 0, MAX_KEPT - 1).exec();
  }

  /** Newest first. */
  async list(): Promise<StoredTuning[]> {
    return (await this.redis.lrange(this.key, 0, MAX_KEPT - 1)).map((raw) => JSON.parse(raw) as StoredTuning);
  }

  async latest(): Promise<StoredTuning | null> {
    const raw = await this.redis.lindex(this.key, 0);
    return raw === null ? null : (JSON.parse(raw) as StoredTuning);
  }
}
