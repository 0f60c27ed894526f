/**
 * Per-item field readers of the invoice grouping, written for the hot loop over a million billing items: the
 * common case (the schema's canonical date-time, an amount with ≤4 decimals) costs a few arithmetic operations
 * and allocates nothing; anything else takes the careful path.
 */
import { parseMoneyNumber, UNITS_PER_CURRENCY_UNIT, unitsToNumber } from '../lib/money.js';
import type { BillingItemLike } from './invoice-types.js';

/** True for `YYYY-MM-DDTHH:mm:ss.sssZ`, the form src/autotask/schemas/common.ts normalises every date-time to. */
export function isCanonicalDateTime(value: string): boolean {
  return value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */;
}

/** The canonical UTC form of an ISO date or date-time (no zone = UTC, docs/autotask-api.md#dates), or null. */
export function canonicalDateTime(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (isCanonicalDateTime(value)) return value;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasZone || value.length <= 10 ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Whether a billing item is on an Autotask invoice. Real answers carry `invoiceID: 0` for "no invoice" where the
 * documentation says null (docs/billing-items.md "When an item counts as invoiced"): null, absent and 0 all mean
 * not invoiced. The one place this is decided; grouping, the pre-delivery re-check and the mark step all ask here.
 */
export function isInvoiced(item: { invoiceID?: number | null }): boolean {
  const id = item.invoiceID;
  return id !== null && id !== undefined && id !== 0;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** An order-preserving number for a canonical date-time (not epoch ms: only its order matters; < 2^53). */
export function dateSortKey(s: string): number {
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  const hour = digit(s, 11) * 10 + digit(s, 12);
  const minute = digit(s, 14) * 10 + digit(s, 15);
  const second = digit(s, 17) * 10 + digit(s, 18);
  const milli = digit(s, 20) * 100 + digit(s, 21) * 10 + digit(s, 22);
  return (((((year * 13 + month) * 32 + day) * 24 + hour) * 60 + minute) * 60 + second) * 1000 + milli;
}

/** Exact units of an amount: `units`, and whether it had more than 4 decimals (`rounded`). Reused, never allocated. */
export const amount = { units: 0, rounded: false };

/** Reads `value` into `amount`; false when it is not a finite amount in the exact range. */
export function readAmount(value: number): boolean {
  const units = Math.round(value * UNITS_PER_CURRENCY_UNIT);
  // Past ±2^53 units the product is no longer exact; the careful path refuses such an amount.
  if (units / UNITS_PER_CURRENCY_UNIT === value && units <= Number.MAX_SAFE_INTEGER && units >= -Number.MAX_SAFE_INTEGER) {
    amount.units = units + 0;
    amount.rounded = false;
    return true;
  }
  try {
    amount.units = parseMoneyNumber(value).units;
    amount.rounded = true;
    return true;
  } catch {
    return false;
  }
}

/** The amount as the document shows it: itself when it has ≤4 decimals, else rounded to 4 (readAmount accepted it). */
export function amountValue(value: number): number {
  const units = Math.round(value * UNITS_PER_CURRENCY_UNIT);
  if (units / UNITS_PER_CURRENCY_UNIT === value) return value + 0;
  return unitsToNumber(parseMoneyNumber(value).units);
}

/**
 * Ids that occur more than once. Autotask returns records in ascending id order (docs/autotask-api.md#paging), so the
 * usual input is proven duplicate-free by one comparison per item; otherwise one typed-array sort finds them.
 */
export function findDuplicateIds(items: readonly BillingItemLike[]): Set<number> {
  const duplicates = new Set<number>();
  let previous = Number.NEGATIVE_INFINITY;
  let ascending = true;
  for (let i = 0; i < items.length; i += 1) {
    const id = (items[i] as BillingItemLike).id;
    if (id <= previous) { ascending = false; break; }
    previous = id;
  }
  if (ascending) return duplicates;
  const ids = new Float64Array(items.length);
  for (let i = 0; i < items.length; i += 1) ids[i] = (items[i] as BillingItemLike).id;
  ids.sort();
  for (let i = 1; i < ids.length; i += 1) if (ids[i] === ids[i - 1]) duplicates.add(ids[i] as number);
  return duplicates;
}
