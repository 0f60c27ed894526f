/**
 * Applies the PO policy's plan (src/rules/po-policy.ts) by PATCHing `purchaseOrderNumber` on contracts, so that
 * Autotask's own invoicing splits correctly (docs/autotask-api.md#invoices: one invoice per purchase order number).
 * Each contract is read again just before its PATCH: a number a person typed since the last pull wins, and
 * a PATCH that already happened is not repeated.
 */
import type { AutotaskClient } from '../autotask/types.js';
import type { PoUpdate } from '../rules/po-policy.js';
import type { EntityStore } from '../store/entity-store.js';
import { projectContract } from '../store/projections.js';

export interface PoOutcome { contractID: number; status: 'updated' | 'already' | 'changed-meanwhile' | 'gone' | 'would-update'; from: string | null; to: string; reason: string }

const norm = (po: string | null | undefined): string => (po ?? '').trim();

export async function applyPurchaseOrders(client: AutotaskClient, store: EntityStore, updates: readonly PoUpdate[],
  options: { dryRun: boolean; signal: AbortSignal }): Promise<PoOutcome[]> {
  const outcomes: PoOutcome[] = [];
  for (const update of updates) {
    const base = { contractID: update.contractID, from: update.from, to: update.to };
    if (options.dryRun) { outcomes.push({ ...base, status: 'would-update', reason: update.reason }); continue; }
    const fresh = await client.get('Contracts', update.contractID, options.signal);
    if (!fresh) { outcomes.push({ ...base, status: 'gone', reason: 'the contract no longer exists' }); continue; }
    if (norm(fresh.purchaseOrderNumber) === norm(update.to)) {
      outcomes.push({ ...base, status: 'already', reason: 'the contract already has this number' });
    } else if (norm(fresh.purchaseOrderNumber) !== norm(update.from)) {
      outcomes.push({ ...base, status: 'changed-meanwhile',
        reason: `the contract's PO changed to "${fresh.purchaseOrderNumber ?? ''}" since the pull; left as it is` });
      await store.upsert('Contracts', [projectContract(fresh)]);
      continue;
    } else {
      await client.update('Contracts', { id: update.contractID, purchaseOrderNumber: update.to }, options.signal);
      outcomes.push({ ...base, status: 'updated', reason: update.reason });
    }
    await store.upsert('Contracts', [projectContract({ ...fresh, purchaseOrderNumber: update.to })]);
  }
  return outcomes;
}
