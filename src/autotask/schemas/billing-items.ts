import { z } from 'zod';
import { atDateTimeOrNull, atId, atIdOrNull, atNumberOrNull, atTextOrEmpty, atTextOrNull } from './common.js';

/**
 * docs/billing-items.md: query and update only (never create); no last-modified field; purchaseOrderNumber is
 * copied at posting; invoiceID is null (or 0) until invoiced; webServiceDate marks an item as exported.
 */
export const readableBillingItem = z.looseObject({
  id: atId,
  companyID: atId,
  contractID: atIdOrNull,
  invoiceID: atIdOrNull,
  itemDate: atDateTimeOrNull,
  postedDate: atDateTimeOrNull,
  purchaseOrderNumber: atTextOrNull,
  billingItemType: atIdOrNull,
  subType: atIdOrNull,
  itemName: atTextOrEmpty,
  description: atTextOrNull,
  quantity: atNumberOrNull,
  rate: atNumberOrNull,
  extendedPrice: atNumberOrNull,
  taxDollars: atNumberOrNull,
  totalAmount: atNumberOrNull,
  ticketID: atIdOrNull,
  timeEntryID: atIdOrNull,
  projectID: atIdOrNull,
  webServiceDate: atDateTimeOrNull,
});
type ReadableBillingItem = z.output<typeof readableBillingItem>;
const FIELDS = Object.keys(readableBillingItem.shape) as Array<keyof typeof readableBillingItem.shape>;

/**
 * One item Autotask returns in an odd shape (a rate of "n/a", an impossible date) must not stop the pull of every
 * other item (issue 14 item 3). An item whose `id` and `companyID` are readable but another field is not is kept
 * with that field null and `unreadable` naming the field and value: the pull stores it, the invoice grouping sets
 * it aside with that reason, and nothing is ever summed from a guess. Without a readable id or company there is
 * nothing to name, and the read fails as before, naming the field.
 */
export const billingItemSchema = z.unknown().transform((raw, ctx): ReadableBillingItem & { unreadable: string | null } => {
  const parsed = readableBillingItem.safeParse(raw);
  if (parsed.success) return { ...parsed.data, unreadable: null };
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = atId.safeParse(record.id);
  const companyID = atId.safeParse(record.companyID);
  if (!id.success || !companyID.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
    return z.NEVER;
  }
  const out: Record<string, unknown> = { ...record };
  const problems: string[] = [];
  for (const field of FIELDS) {
    const value = readableBillingItem.shape[field].safeParse(record[field]);
    if (value.success) out[field] = value.data;
    else { out[field] = null; problems.push(`${field} ${JSON.stringify(record[field])?.slice(0, 40) ?? 'undefined'}`); }
  }
  return { ...(out as ReadableBillingItem), unreadable: `cannot be read exactly: ${problems.join(', ')}` };
});
export type BillingItem = z.output<typeof billingItemSchema>;
