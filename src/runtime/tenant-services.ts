/**
 * The per-tenant services (governor + Autotask client) behind one seam. The CLI passes the real factory
 * (client-factory.ts); tests pass one that builds a client without HTTP. Clients are built lazily and once
 * per tenant, so a command that never touches a tenant never constructs its client.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { AppConfig, TenantConfig } from '../../config/schema.js';
import type { AutotaskClient } from '../autotask/types.js';
import { InputError } from '../lib/errors.js';

export type AutotaskClientFactory = (tenant: TenantConfig, redis: RedisConnection) => AutotaskClient;

export interface TenantHandle {
  tenant: TenantConfig;
  client: AutotaskClient;
}

export interface TenantServices {
  /** Configured tenant ids, in config order. */
  readonly ids: readonly string[];
  /** The tenant used when a trigger names none: "default" when configured, else the first one. */
  readonly defaultTenantId: string | undefined;
  has(id: string): boolean;
  /** Throws InputError (naming the field `tenant`) for an unknown id. */
  get(id: string): TenantHandle;
  all(): TenantHandle[];
}

export function createTenantServices(config: AppConfig, redis: RedisConnection, factory: AutotaskClientFactory): TenantServices {
  const byId = new Map(config.tenants.map((t) => [t.id, t] as const));
  const built = new Map<string, TenantHandle>();
  const ids = config.tenants.map((t) => t.id);
  const get = (id: string): TenantHandle => {
    const cached = built.get(id);
    if (cached) return cached;
    const tenant = byId.get(id);
    if (!tenant) throw new InputError(`tenant: no tenant "${id}" is configured (known: ${ids.join(', ') || 'none'})`, { field: 'tenant' });
    const handle = { tenant, client: factory(tenant, redis) };
    built.set(id, handle);
    return handle;
  };
  return {
    ids,
    defaultTenantId: byId.has('default') ? 'default' : ids[0],
    has: (id) => byId.has(id),
    get,
    all: () => ids.map(get),
  };
}
