/**
 * Autotask webhook signatures (docs/autotask-api.md#webhooks): header `X-Hook-Signature: sha1=<base64 HMAC-SHA1(secret,
 * raw body)>`. Autotask has been seen signing a form of the JSON in which `& < > ' " \` +` and non-ASCII
 * characters are `\uXXXX`-escaped (the .NET default JavaScript encoder), so the raw body is checked first, then
 * that form (upper- and lower-case hex). Every comparison is constant-time over equal-length digests.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from './constant-time.js';

const ESCAPED = /[&<>'"`+\u0080-\uffff]/g;

function escapeChar(ch: string, upper: boolean): string {
  const hex = ch.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

function encodeString(value: string, upper: boolean): string {
  // JSON.stringify handles control characters and backslashes; then the .NET-sensitive characters are escaped.
  // Inside the JSON text the structural quotes are the first and last character only.
  const json = JSON.stringify(value);
  return `"${json.slice(1, -1).replace(/\\"/g, '"').replace(ESCAPED, (ch) => escapeChar(ch, upper))}"`;
}

/**
 * Autotask's payloads are shallow (the entity's fields, at most a nested object or two), so a body nested deeper
 * than this was not signed by Autotask in escaped form. Without the bound an unsigned, deeply nested body would
 * overflow the stack here, before the signature is refused (a 500 for anyone who can reach the route).
 */
const MAX_ESCAPED_DEPTH = 64;

class TooDeep extends Error {}

function encode(value: unknown, upper: boolean, depth = 0): string {
  if (depth > MAX_ESCAPED_DEPTH) throw new TooDeep();
  if (typeof value === 'string') return encodeString(value, upper);
  if (Array.isArray(value)) return `[${value.map((v) => encode(v, upper, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${encodeString(k, upper)}:${encode(v, upper, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The escaped forms Autotask may have signed, derived from the raw body; empty when it is not JSON or nested too deep. */
export function escapedForms(rawBody: Buffer): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return [];
  }
  try {
    return [...new Set([encode(parsed, true), encode(parsed, false)])];
  } catch (error) {
    if (error instanceof TooDeep) return [];
    throw error;
  }
}

export function signHookBody(secret: string, body: Buffer | string): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('base64')}`;
}

export type SignatureVerdict = { ok: true; form: 'raw' | 'escaped' } | { ok: false; reason: string };

export function verifyHookSignature(secret: string, rawBody: Buffer, header: string | undefined): SignatureVerdict {
  if (!header) return { ok: false, reason: 'missing X-Hook-Signature header' };
  const given = header.trim();
  if (!/^sha1=[A-Za-z0-9+/]+=*$/.test(given)) return { ok: false, reason: 'malformed X-Hook-Signature header' };
  if (safeEqual(given, signHookBody(secret, rawBody))) return { ok: true, form: 'raw' };
  for (const form of escapedForms(rawBody)) {
    if (safeEqual(given, signHookBody(secret, form))) return { ok: true, form: 'escaped' };
  }
  return { ok: false, reason: 'X-Hook-Signature does not match the body' };
}
