/**
 * The runtime commands of first-run mode (docs/first-run.md), shared by `autotask-sync confirm` and the console:
 * read what the dry runs would have written, and confirm a tenant so its writes go out from then on.
 */
import type { Redis } from 'ioredis';
import { InputError } from '../lib/errors.js';
import { createFirstRunStore, type FirstRunState } from '../store/first-run.js';

export interface FirstRunDeps {
  redis: Redis;
  keyPrefix: string;
  tenantIds: readonly string[];
}

function checkTenant(deps: FirstRunDeps, tenant: string): void {
  if (!deps.tenantIds.includes(tenant)) {
    throw new InputError(`tenant: no tenant "${tenant}" is configured (known: ${deps.tenantIds.join(', ') || 'none'})`, { field: 'tenant' });
  }
}

export async function firstRunStates(deps: FirstRunDeps, tenants: readonly string[] = deps.tenantIds): Promise<FirstRunState[]> {
  for (const t of tenants) checkTenant(deps, t);
  return Promise.all(tenants.map((t) => createFirstRunStore(deps.redis, deps.keyPrefix, t).state()));
}

export async function confirmTenant(deps: FirstRunDeps, tenant: string, by: string, now: Date): Promise<FirstRunState> {
  checkTenant(deps, tenant);
  if (!by.trim()) throw new InputError('by: say who confirms (a name or an e-mail address)', { field: 'by' });
  return createFirstRunStore(deps.redis, deps.keyPrefix, tenant).confirm(by.trim(), now);
}
