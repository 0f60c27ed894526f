/**
 * What every part of the runtime (processor, `run`, HTTP routes) shares in one process: resolved config, the
 * root logger, the shared Redis connection, the tenant scopes and the clock.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { AppConfig } from '../../config/schema.js';
import type { Logger } from '../lib/logger.js';
import { createTenantServices, type AutotaskClientFactory, type TenantServices } from './tenant-services.js';

export interface RuntimeServices {
  config: AppConfig;
  /** Root logger; the runtime binds children to job and tenant. */
  logger: Logger;
  /** The shared connection (created with maxRetriesPerRequest: null): the queues and the readiness check use it. */
  redis: RedisConnection;
  /** One scope per tenant (client and stores); nothing outside src/store sees a key. */
  tenants: TenantServices;
  now(): Date;
}

/** The services of one process over a Redis connection it opened (worker, `run`, the queue commands). */
export function createRuntimeServices(config: AppConfig, logger: Logger, redis: RedisConnection, clientFactory: AutotaskClientFactory,
  now: () => Date = () => new Date()): RuntimeServices {
  return { config, logger, redis, tenants: createTenantServices(config, redis, clientFactory), now };
}
