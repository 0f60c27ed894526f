import { z } from 'zod';
import { atId, atIdOrNull, atTextOrNull } from './common.js';

export const configurationItemSchema = z.looseObject({
  id: atId,
  companyID: atIdOrNull,
  referenceTitle: atTextOrNull,
  referenceNumber: atTextOrNull,
  serialNumber: atTextOrNull,
  isActive: z.boolean().nullable().optional().transform((v) => v ?? true),
});
export type ConfigurationItem = z.infer<typeof configurationItemSchema>;
