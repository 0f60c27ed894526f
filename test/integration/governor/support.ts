/** Shared set-up of the governor's integration tests: real Redis, a unique key prefix per test, own keys cleaned. */
import type { Redis } from 'ioredis';
import { autotaskSection } from '../../../config/sections/autotask.js';
import type { AppConfig } from '../../../config/schema.js';
import { createRedisGovernor, type RedisGovernor } from '../../../src/autotask/governor.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

export const TENANT = 'acme';

export function settings(overrides: Partial<AppConfig['autotask']> = {}): AppConfig['autotask'] {
  return autotaskSection.parse(overrides);
}

/** Several processes' worth of governors: one ioredis connection each, all on the same prefix and tenant. */
export class GovernorRig {
  readonly prefix = uniquePrefix('gov');
  private readonly connections: Redis[] = [];
  private readonly governors: RedisGovernor[] = [];

  connection(): Redis {
    const redis = connectRedis();
    this.connections.push(redis);
    return redis;
  }

  governor(overrides: Partial<AppConfig['autotask']> = {}, now?: () => number): RedisGovernor {
    const governor = createRedisGovernor({ redis: this.connection(), keys: tenantKeys(this.prefix, TENANT), tenantId: TENANT,
      settings: settings(overrides), ...(now ? { now } : {}) });
    this.governors.push(governor);
    return governor;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.governors.map((g) => g.close()));
    const first = this.connections[0];
    if (first) await cleanPrefix(first, this.prefix);
    await Promise.all(this.connections.map((c) => c.quit()));
  }
}

/** Counts how many callers are inside a section at once. */
export class ConcurrencyMeter {
  current = 0;
  max = 0;
  enter(): void {
    this.current += 1;
    this.max = Math.max(this.max, this.current);
  }
  leave(): void {
    this.current -= 1;
  }
}

