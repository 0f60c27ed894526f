/**
 * The HTTP sink's body signature. Header `X-Signature: sha256=<hex>` where hex is the lower-case HMAC-SHA256 of the
 * exact request body bytes (UTF-8 JSON, as sent) keyed with INVOICE_WEBHOOK_SECRET. A receiver recomputes it over
 * the raw body before parsing and compares in constant time (see `verifyInvoiceSignature`).
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../lib/constant-time.js';

export const SIGNATURE_HEADER = 'X-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function signInvoiceBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyInvoiceSignature(secret: string, body: string | Buffer, header: string | undefined | null): boolean {
  if (typeof header !== 'string') return false;
  return safeEqual(header.trim(), signInvoiceBody(secret, body));
}
