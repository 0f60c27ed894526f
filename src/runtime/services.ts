/**
 * What every part of the runtime (processor, `run`, HTTP routes) shares in one process: resolved config, the
 * root logger, the shared Redis connection, the per-tenant clients and the clock.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { AppConfig } from '../../config/schema.js';
import type { Logger } from '../lib/logger.js';
import type { TenantServices } from './tenant-services.js';

export interface RuntimeServices {
  config: AppConfig;
  /** Root logger; the runtime binds children to job and tenant. */
  logger: Logger;
  /** Shared connection for src/store and the governor (created with maxRetriesPerRequest: null). */
  redis: RedisConnection;
  /** Root of this deployment's non-queue keys (src/store derives tenant keys from it): config.queue.prefix. */
  keyPrefix: string;
  tenants: TenantServices;
  now(): Date;
}
