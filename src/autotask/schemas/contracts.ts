import { z } from 'zod';
import { atDateTimeOrNull, atId, atIdOrNull, atText, atTextOrNull } from './common.js';

/** docs/autotask-api.md#contracts: purchaseOrderNumber is a string of at most 50 characters; status 1 = active. */
export const contractSchema = z.looseObject({
  id: atId,
  companyID: atId,
  contractName: atText,
  contractNumber: atTextOrNull,
  contractType: atIdOrNull,
  contractCategory: atIdOrNull,
  status: atIdOrNull,
  startDate: atDateTimeOrNull,
  endDate: atDateTimeOrNull,
  purchaseOrderNumber: atTextOrNull,
  billToCompanyID: atIdOrNull,
  lastModifiedDateTime: atDateTimeOrNull,
});
export type Contract = z.infer<typeof contractSchema>;
