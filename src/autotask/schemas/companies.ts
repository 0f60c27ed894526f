import { z } from 'zod';
import { atBoolean, atId, atIdOrNull, atText, atDateTimeOrNull } from './common.js';

export const companySchema = z.looseObject({
  id: atId,
  companyName: atText,
  companyNumber: atText.nullable().optional().transform((v) => v ?? null),
  companyType: atIdOrNull,
  /** The company's invoicing currency (Multi-currency module); null = the tenant's internal currency. */
  currencyID: atIdOrNull,
  isActive: atBoolean.optional().default(true),
  lastActivityDate: atDateTimeOrNull,
});
export type Company = z.infer<typeof companySchema>;
