/**
 * Building blocks of the entity schemas. docs/autotask-api.md#dates: date-times are UTC, strings can contain \u0000,
 * picklist values are numbers on records (strings only in metadata). Every record schema is loose: fields we do
 * not name are kept as they came, so a PATCH never drops what another integration relies on.
 */
import { z } from 'zod';
import { isRealDateTime } from '../../lib/time.js';

/** Text with NUL characters removed (Autotask stores them; JSON consumers and Redis text choke on them). */
export function stripNul(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}
export const atText = z.string().transform(stripNul);
export const atTextOrNull = atText.nullable().optional().transform((v) => v ?? null);
/** Text where Autotask may send null or nothing for "no text" and the record needs a string (a title, an item name). */
export const atTextOrEmpty = atText.nullable().optional().transform((v) => v ?? '');

/**
 * A UTC date-time, normalised to `YYYY-MM-DDTHH:mm:ss.sssZ`; a value without a zone is UTC. Null when it is not a
 * date-time. Shared by the schema below and the fast path (src/autotask/fast-records.ts), so both agree exactly.
 */
export function normaliseDateTime(value: string): string | null {
  if (isCanonicalDateTime(value)) return value;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasZone || value.length <= 10 ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The normal form's shape: d = digit, anything else that exact character. */
const SHAPE = 'dddd-dd-ddTdd:dd:dd.dddZ';

/** The two-digit number at `i` of a string whose shape was checked. */
function twoDigits(value: string, i: number): number {
  return (value.charCodeAt(i) - 48) * 10 + value.charCodeAt(i + 1) - 48;
}

/**
 * True when `value` is already in the normal form and names a real moment, so parsing and printing it would give it
 * back unchanged. Most Autotask date-times come so; parsing each cost ~1 µs, a third of a ticket page's validation.
 * Anything else (another form, 24:00, 30 February, which Date would roll over) takes the full path.
 */
function isCanonicalDateTime(value: string): boolean {
  if (value.length !== 24) return false;
  for (let i = 0; i < 24; i += 1) {
    const c = value.charCodeAt(i);
    const want = SHAPE.charCodeAt(i);
    if (want === 100 ? c < 48 || c > 57 : c !== want) return false;
  }
  return isRealDateTime(twoDigits(value, 0) * 100 + twoDigits(value, 2), twoDigits(value, 5), twoDigits(value, 8),
    twoDigits(value, 11), twoDigits(value, 14), twoDigits(value, 17));
}

export const atDateTime = z.string().transform((value, ctx) => {
  const normalised = normaliseDateTime(value);
  if (normalised === null) {
    ctx.addIssue({ code: 'custom', message: `not a date-time: ${JSON.stringify(value).slice(0, 40)}` });
    return z.NEVER;
  }
  return normalised;
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
