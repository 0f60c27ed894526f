/**
 * The tenants of this process, each behind one tenant scope (src/scope/tenant-scope.ts: client and stores). The
 * CLI passes the real client factory (src/app/client-factory.ts); tests pass one that builds a client without
 * HTTP. Scopes are built lazily and once per tenant, so a command that never touches a tenant never constructs
 * its client.
 */
import type { RedisConnection } from '../lib/redis-connection.js';
import type { AppConfig, TenantConfig } from '../../config/schema.js';
import type { AutotaskClient } from '../autotask/types.js';
import { InputError } from '../lib/errors.js';
import { createTenantScope, type TenantScope } from '../scope/tenant-scope.js';

export type AutotaskClientFactory = (tenant: TenantConfig, redis: RedisConnection) => AutotaskClient;

export type { TenantScope };

export interface TenantServices {
  /** Configured tenant ids, in config order. */
  readonly ids: readonly string[];
  /** The tenant used when a request names none: "default" when configured, else the first one. */
  readonly defaultTenantId: string | undefined;
  has(id: string): boolean;
  /** The id a request means (its own, else the default); InputError naming the field `tenant` for an unknown one. */
  resolve(requested: string | undefined): string;
  /** Throws InputError (naming the field `tenant`) for an unknown id. */
  get(id: string): TenantScope;
  all(): TenantScope[];
}

export function createTenantServices(config: AppConfig, redis: RedisConnection, factory: AutotaskClientFactory): TenantServices {
  const byId = new Map(config.tenants.map((t) => [t.id, t] as const));
  const built = new Map<string, TenantScope>();
  const ids = config.tenants.map((t) => t.id);
  const defaultTenantId = byId.has('default') ? 'default' : ids[0];
  const unknown = (id: string): InputError =>
    new InputError(`tenant: no tenant "${id}" is configured (known: ${ids.join(', ') || 'none'})`, { field: 'tenant' });
  const get = (id: string): TenantScope => {
    const cached = built.get(id);
    if (cached) return cached;
    const tenant = byId.get(id);
    if (!tenant) throw unknown(id);
    const scope = createTenantScope(tenant, factory(tenant, redis), redis, config.queue.prefix);
    built.set(id, scope);
    return scope;
  };
  return {
    ids,
    defaultTenantId,
    has: (id) => byId.has(id),
    resolve(requested) {
      const id = requested ?? defaultTenantId;
      if (id === undefined) throw new InputError('tenant: no tenant is configured', { field: 'tenant' });
      if (!byId.has(id)) throw unknown(id);
      return id;
    },
    get,
    all: () => ids.map(get),
  };
}
