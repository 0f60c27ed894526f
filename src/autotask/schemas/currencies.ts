import { z } from 'zod';
import { atBoolean, atId, atText } from './common.js';

/**
 * A currency of the Multi-currency module (docs/autotask-api.md#currencies): `name` is the three-letter code,
 * exactly one is the tenant's internal currency. Query and update only.
 */
export const currencySchema = z.looseObject({
  id: atId,
  name: atText,
  description: atText.nullable().optional().transform((v) => v ?? null),
  isInternalCurrency: atBoolean.optional().default(false),
  isActive: atBoolean.optional().default(true),
});
export type Currency = z.infer<typeof currencySchema>;
