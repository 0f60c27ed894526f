import { z } from 'zod';
import { atId, atTextOrNull } from './common.js';

export const resourceSchema = z.looseObject({
  id: atId,
  firstName: atTextOrNull,
  lastName: atTextOrNull,
  email: atTextOrNull,
  userName: atTextOrNull,
  isActive: z.boolean().nullable().optional().transform((v) => v ?? true),
  licenseType: z.number().int().nullable().optional().transform((v) => v ?? null),
  // The role Autotask offers first for this resource's service-desk time (docs/autotask-samples.md, "Resources").
  defaultServiceDeskRoleID: z.number().int().nullable().optional().transform((v) => v ?? null),
});
export type Resource = z.infer<typeof resourceSchema>;
