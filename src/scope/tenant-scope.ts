/**
 * A tenant scope: everything one tenant's work goes through — its config, its Autotask client, and its stores
 * (entities, invoices, stopwatches, the time-entry ledger, webhook de-duplication, the write lease). The runtime
 * builds one per tenant, once (src/runtime/tenant-services.ts), and hands it to jobs and commands; they never see
 * the Redis connection or a key.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { TenantConfig } from '../../config/schema.js';
import type { AutotaskClient } from '../autotask/types.js';
import { createTenantStores, type TenantStores } from '../store/tenant-stores.js';

export interface TenantScope extends TenantStores {
  tenant: TenantConfig;
  client: AutotaskClient;
}

export function createTenantScope(tenant: TenantConfig, client: AutotaskClient, redis: RedisConnection, keyPrefix: string): TenantScope {
  return { tenant, client, ...createTenantStores(redis, keyPrefix, tenant.id) };
}
