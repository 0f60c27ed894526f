import { z } from 'zod';

const poRule = z.strictObject({
  name: z.string().min(1),
  match: z.strictObject({
    contractType: z.array(z.number().int()).optional(),
    contractCategory: z.array(z.number().int()).optional(),
    companyID: z.array(z.number().int()).optional(),
    /** A regular expression tested against the contract name (case-insensitive). */
    namePattern: z.string().min(1).refine((p) => { try { new RegExp(p, 'i'); return true; } catch { return false; } },
      'not a valid regular expression').optional(),
  }).prefault({}),
  /** Placeholders: {contractName} {contractNumber} {contractID} {companyID} {startMonth} (YYYY-MM) {startYear} {agreement}. */
  template: z.string().min(1).max(200),
  /** Replace a PO number the contract already has. Off by default: people's numbers are never overwritten. */
  overwrite: z.boolean().default(false),
});

const agreementKey = z.discriminatedUnion('kind', [
  /** Contracts whose numbers share the part before the first separator belong to one agreement. */
  z.strictObject({ kind: z.literal('contractNumberPrefix'), separator: z.string().min(1).max(5).default('-') }),
  /** A user-defined field of the contract holds the agreement's id. */
  z.strictObject({ kind: z.literal('udf'), name: z.string().min(1) }),
]);

export const invoicesSection = z.strictObject({
  poPolicy: z.strictObject({
    rules: z.array(poRule).default([]),
    agreementKey: agreementKey.nullable().default(null),
  }).prefault({}),
  /** Deliver to the file sink (INVOICE_OUTPUT_DIR). The HTTP sink is on when INVOICE_WEBHOOK_URL is set. */
  fileSink: z.boolean().default(true),
  /** After a confirmed delivery, set webServiceDate on each billing item (API-NOTES: the "exported" mark). */
  markExported: z.boolean().default(true),
}).prefault({});
