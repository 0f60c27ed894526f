/**
 * How a purchase order number is compared. docs/autotask-api.md#billing-items: BillingItems carry `purchaseOrderNumber` "copied at
 * posting" and Contracts carry it as a string ≤ 50; Autotask makes one invoice per PO number. People type these
 * by hand, so surrounding whitespace is noise, and null, "" and "   " all mean "no purchase order".
 */

/** Autotask's limit on Contracts.purchaseOrderNumber (docs/autotask-api.md#contracts: string ≤ 50). */
export const PO_MAX_LENGTH = 50;

/** The PO number as invoiced: trimmed; null when there is none. */
export function normalizePo(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * A comparison form that ignores case and all inner whitespace. Two different PO numbers of one company with the
 * same canonical form are almost certainly one purchase order typed twice ("PO 123" / "po123").
 */
export function canonicalPo(po: string): string {
  return po.toLowerCase().replace(/\s+/g, '');
}

/** Stable order of PO numbers: "no PO" first, then by UTF-16 code units (locale-independent, deterministic). */
export function comparePo(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
