/**
 * Building blocks of the entity schemas. docs/autotask-api.md#dates: date-times are UTC, strings can contain \u0000,
 * picklist values are numbers on records (strings only in metadata). Every record schema is loose: fields we do
 * not name are kept as they came, so a PATCH never drops what another integration relies on.
 */
import { z } from 'zod';

/** Text with NUL characters removed (Autotask stores them; JSON consumers and Redis text choke on them). */
export const atText = z.string().transform((s) => (s.includes('\u0000') ? s.replaceAll('\u0000', '') : s));
export const atTextOrNull = atText.nullable().optional().transform((v) => v ?? null);

/** A UTC date-time, normalised to `YYYY-MM-DDTHH:mm:ss.sssZ`. A value without a zone is UTC. */
export const atDateTime = z.string().transform((value, ctx) => {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasZone || value.length <= 10 ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date-time: ${JSON.stringify(value).slice(0, 40)}` });
    return z.NEVER;
  }
  return date.toISOString();
});
export const atDateTimeOrNull = atDateTime.nullable().optional().transform((v) => v ?? null);

export const atId = z.number().int().nonnegative();
export const atIdOrNull = z.number().int().nullable().optional().transform((v) => v ?? null);
export const atNumberOrNull = z.number().nullable().optional().transform((v) => v ?? null);
export const atBoolean = z.boolean();

/** Every record has an id; the rest is per entity. */
export const baseRecord = { id: atId };

export const ENTITY_NAMES = ['Companies', 'Contracts', 'BillingItems', 'Invoices', 'Tickets', 'TimeEntries',
  'ConfigurationItems', 'Resources', 'TicketNotes', 'Currencies'] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];
