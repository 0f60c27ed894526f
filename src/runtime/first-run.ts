/**
 * The runtime commands of first-run mode (docs/first-run.md), shared by `autotask-sync confirm` and the console:
 * read what the dry runs would have written, and confirm a tenant so its writes go out from then on.
 */
import { InputError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { plural } from '../lib/plural.js';
import type { FirstRunState } from '../store/first-run.js';
import type { TenantServices } from './tenant-services.js';

export type { FirstRunState } from '../store/first-run.js';

export async function firstRunStates(tenants: Pick<TenantServices, 'ids' | 'resolve' | 'get'>,
  ids: readonly string[] = tenants.ids): Promise<FirstRunState[]> {
  const resolved = ids.map((id) => tenants.resolve(id));
  return Promise.all(resolved.map((id) => tenants.get(id).firstRun.state()));
}

export async function confirmTenant(tenants: Pick<TenantServices, 'resolve' | 'get'>, tenant: string | undefined, by: string,
  now: Date): Promise<FirstRunState> {
  const id = tenants.resolve(tenant);
  if (!by.trim()) throw new InputError('by: say who confirms (a name or an e-mail address)', { field: 'by' });
  return tenants.get(id).firstRun.confirm(by.trim(), now);
}

/**
 * At a worker's start (docs/first-run.md#upgrading): a tenant of an existing deployment, which wrote before this
 * version brought first-run mode, is confirmed "by upgrade" instead of having every write silently become a dry
 * run. A tenant with nothing written stays in first-run mode.
 */
export async function adoptUpgradedTenants(tenants: Pick<TenantServices, 'ids' | 'get'>, now: Date, logger: Logger): Promise<string[]> {
  const adopted: string[] = [];
  for (const id of tenants.ids) {
    const written = await tenants.get(id).firstRun.adoptUpgrade(now);
    if (written === undefined) continue;
    adopted.push(id);
    logger.warn({ tenant: id, ledgerEntries: written }, `first-run mode: tenant ${id} has written before (${plural(written, 'ledger entry', 'ledger entries')}); `
      + 'an existing deployment upgraded, so it is confirmed "by upgrade" and writes go on as before');
  }
  return adopted;
}
