import { z } from 'zod';

/** `/{Entity}/entityInformation` (docs/autotask-api.md#metadata). */
export const entityInformationSchema = z.looseObject({
  name: z.string().optional(),
  canCreate: z.boolean(),
  canUpdate: z.boolean(),
  canQuery: z.boolean(),
  canDelete: z.boolean(),
  supportsWebhookCallouts: z.boolean().optional().default(false),
});
export type EntityInformation = z.infer<typeof entityInformationSchema>;

/** Picklist values arrive as strings ("3") while records carry numbers: normalise to numbers here. */
export const picklistValueSchema = z.looseObject({
  value: z.union([z.string(), z.number()]).transform((v) => Number(v)),
  label: z.string(),
  isActive: z.boolean().optional().default(true),
  isSystem: z.boolean().optional().default(false),
  parentValue: z.union([z.string(), z.number()]).nullable().optional()
    .transform((v) => (v === null || v === undefined || v === '' ? null : Number(v))),
  sortOrder: z.number().optional(),
});
export type PicklistValue = z.infer<typeof picklistValueSchema>;

export const fieldInformationSchema = z.looseObject({
  name: z.string(),
  dataType: z.string(),
  isRequired: z.boolean().optional().default(false),
  isReadOnly: z.boolean().optional().default(false),
  isQueryable: z.boolean().optional().default(true),
  isReference: z.boolean().optional().default(false),
  referenceEntityType: z.string().nullable().optional(),
  isPickList: z.boolean().optional().default(false),
  picklistValues: z.array(picklistValueSchema).nullable().optional().transform((v) => v ?? []),
  length: z.number().optional(),
});
export type FieldInformation = z.infer<typeof fieldInformationSchema>;

/** `/ThresholdInformation` (docs/autotask-api.md#request-threshold). */
export const thresholdInformationSchema = z.looseObject({
  externalRequestThreshold: z.number().int().positive(),
  requestThresholdTimeframe: z.number().int().positive(),
  currentTimeframeRequestCount: z.number().int().nonnegative(),
});
export type ThresholdInformation = z.infer<typeof thresholdInformationSchema>;

/** Zone discovery answer (docs/autotask-api.md#zones). */
export const zoneInformationSchema = z.looseObject({
  zoneName: z.string().optional(),
  url: z.url(),
  webUrl: z.string().optional(),
  ci: z.number().optional(),
});
export type ZoneInformation = z.infer<typeof zoneInformationSchema>;
