import { z } from 'zod';
import { atDateTimeOrNull, atId, atIdOrNull, atNumberOrNull, atText, atTextOrNull } from './common.js';

/**
 * docs/autotask-api.md#billing-items: query and update only (never create); no last-modified field; purchaseOrderNumber
 * is copied at posting; invoiceID is null until invoiced; webServiceDate marks an item as exported.
 */
export const billingItemSchema = z.looseObject({
  id: atId,
  companyID: atId,
  contractID: atIdOrNull,
  invoiceID: atIdOrNull,
  itemDate: atDateTimeOrNull,
  postedDate: atDateTimeOrNull,
  purchaseOrderNumber: atTextOrNull,
  billingItemType: atIdOrNull,
  subType: atIdOrNull,
  itemName: atText.nullable().optional().transform((v) => v ?? ''),
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
export type BillingItem = z.infer<typeof billingItemSchema>;
