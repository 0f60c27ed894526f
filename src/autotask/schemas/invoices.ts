import { z } from 'zod';
import { atDateTimeOrNull, atId, atNumberOrNull, atTextOrNull } from './common.js';

/** docs/autotask-api.md#invoices: query and update only; cannot be created through any API. */
export const invoiceSchema = z.looseObject({
  id: atId,
  companyID: atId,
  invoiceNumber: atTextOrNull,
  invoiceDateTime: atDateTimeOrNull,
  fromDate: atDateTimeOrNull,
  toDate: atDateTimeOrNull,
  invoiceTotal: atNumberOrNull,
  totalTaxValue: atNumberOrNull,
  orderNumber: atTextOrNull,
  isVoided: z.boolean().nullable().optional().transform((v) => v ?? false),
  paidDate: atDateTimeOrNull,
  webServiceDate: atDateTimeOrNull,
  comments: atTextOrNull,
});
export type Invoice = z.infer<typeof invoiceSchema>;
