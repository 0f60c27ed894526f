/**
 * How a purchase order number is compared. docs/autotask-api.md#billing-items: BillingItems carry `purchaseOrderNumber` "copied at
 * posting" and Contracts carry it as a string ≤ 50; Autotask makes one invoice per PO number. People type these
 * by hand, so surrounding ASCII whitespace is noise, and null, "" and "   " all mean "no purchase order".
 * Nothing else is folded: Autotask compares the stored strings, and no source says it trims a BOM, a non-breaking
 * space or any other character (docs/billing-items.md#purchase-order-numbers), so merging those would put items on
 * one of our documents that Autotask puts on two invoices. Such look-alikes are warned about instead.
 */

/** Autotask's limit on Contracts.purchaseOrderNumber (docs/autotask-api.md#contracts: string ≤ 50). */
export const PO_MAX_LENGTH = 50;

const ASCII_EDGE_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;
/** Characters that show nothing (zero-width space, soft hyphen, BOM, joiners, variation selectors, bidi marks). */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * What a person sees of a PO number: compatibility-normalised (NFKC: composed accents, full-width letters, a
 * non-breaking space as a space), invisible characters removed, trimmed (spaces at the ends do not show); "" when nothing shows.
 * Two different PO numbers with the same visible form look identical on screen and on paper.
 */
export function visiblePo(po: string): string {
  return po.normalize('NFKC').replace(INVISIBLE, '').trim();
}

/** The PO number with every character outside printable ASCII spelled out, so a warning shows what cannot be seen. */
export function spellPo(po: string | null): string {
  if (po === null) return 'no PO';
  let out = '';
  for (const ch of po) {
    const code = ch.codePointAt(0) as number;
    out += code >= 0x21 && code <= 0x7e ? ch : `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  }
  return `"${out}"`;
}

/** The PO number as invoiced: trimmed; null when there is none. */
export function normalizePo(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  // Only ASCII space, tab, CR and LF: String.prototype.trim would also drop a BOM and a non-breaking space.
  const trimmed = value.replace(ASCII_EDGE_SPACE, '');
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
