/**
 * The stable id of an invoice group. It depends only on the company, the purchase order and the set of billing
 * item ids — not on input order, amounts or dates — so a rerun over the same items yields the same key, which
 * the sinks use for idempotency (file name, `Idempotency-Key` header). A different set of items is a different
 * invoice and gets a different key. Format, version 1 (never change it silently: delivered files are named by it):
 * `inv-<companyID>-<first 32 hex digits of SHA-256(header ‖ ids)>`, where header is the UTF-8 of
 * `"v1\n" + companyID + "\n" + JSON.stringify(po) + "\n"` and ids are the ascending billing item ids as
 * little-endian IEEE-754 doubles (binary, so a million ids cost no number-to-text conversion).
 */
import { createHash } from 'node:crypto';

let scratch = new DataView(new ArrayBuffer(8 * 1024));

export function invoiceKey(companyID: number, purchaseOrderNumber: string | null, billingItemIDs: ArrayLike<number>): string {
  const ids = Float64Array.from(billingItemIDs).sort();
  if (scratch.byteLength < ids.length * 8) scratch = new DataView(new ArrayBuffer(ids.length * 16));
  for (let i = 0; i < ids.length; i += 1) scratch.setFloat64(i * 8, ids[i] as number, true);
  const hash = createHash('sha256')
    .update(`v1\n${companyID}\n${JSON.stringify(purchaseOrderNumber)}\n`)
    .update(new Uint8Array(scratch.buffer, 0, ids.length * 8))
    .digest('hex');
  return `inv-${companyID}-${hash.slice(0, 32)}`;
}
