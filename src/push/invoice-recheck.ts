/**
 * Reads the open status of billing items from Autotask right before a write that depends on it (delivery, mark):
 * `id in (…)` batches asking only for the fields that decide it (docs/billing-items.md "Open set").
 */
import type { AutotaskClient } from '../autotask/types.js';
import { leftOpenSet, type LeftItem } from '../rules/invoice-open-status.js';

/** companyID is required by the record schema, so it is read too. */
const STATUS_FIELDS = ['id', 'companyID', 'invoiceID', 'webServiceDate'];

export async function readOpenStatus(client: AutotaskClient, ids: readonly number[], signal: AbortSignal):
  Promise<Map<number, { invoiceID: number | null; webServiceDate: string | null }>> {
  const current = new Map<number, { invoiceID: number | null; webServiceDate: string | null }>();
  if (ids.length === 0) return current;
  for await (const item of client.queryIn('BillingItems', 'id', ids, [], { signal, includeFields: STATUS_FIELDS })) {
    current.set(item.id, { invoiceID: item.invoiceID, webServiceDate: item.webServiceDate });
  }
  return current;
}

/** The items among `ids` that are no longer open, ascending by id. */
export async function itemsThatLeft(client: AutotaskClient, ids: readonly number[], signal: AbortSignal): Promise<LeftItem[]> {
  const current = await readOpenStatus(client, ids, signal);
  const left: LeftItem[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const status = leftOpenSet(id, current.get(id));
    if (status) left.push(status);
  }
  return left;
}
