/**
 * Autotask webhook signatures (docs/autotask-api.md#webhooks; the escaping rule: docs/autotask-samples.md, "Webhooks"): header `X-Hook-Signature:
 * sha1=<base64 HMAC-SHA1(secret, body)>`. Autotask signs either the raw body or a form of it in which the
 * characters `& < > ' " + \`` and every non-ASCII character INSIDE string literals are written as upper-case
 * `\uXXXX` escapes (the .NET JavaScript encoder). That form is derived from the RAW text, never from parsed and
 * re-serialised JSON: re-serialising loses what Autotask's JSON keeps (decimal scale such as `2.50`, key order,
 * spacing). The sandbox signs with `escapeAutotaskJson` too, so both sides share one escaping.
 * Every comparison is constant-time over equal-length digests.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from './constant-time.js';

const ESCAPED_IN_STRINGS = new Set(['&', '<', '>', "'", '`', '+']);

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Autotask's escaped form of a JSON text. One linear pass over the raw characters (UTF-16 code units, as .NET
 * escapes them): outside string literals nothing changes; inside, an escape sequence already present is kept,
 * except `\"` which becomes `\u0022`; the sensitive characters and anything above U+007F become `\uXXXX`.
 * Linear and without recursion, so a hostile deeply nested body cannot overflow the stack.
 */
export function escapeAutotaskJson(raw: string): string {
  let out = '';
  let inString = false;
  let afterBackslash = false;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i] as string;
    if (afterBackslash) {
      afterBackslash = false;
      // The backslash is already written: `\"` becomes `\u0022`, any other escape stays as it is.
      out += ch === '"' ? 'u0022' : ch;
      continue;
    }
    if (!inString) {
      if (ch === '"') inString = true;
      out += ch;
      continue;
    }
    if (ch === '\\') { afterBackslash = true; out += ch; continue; }
    if (ch === '"') { inString = false; out += ch; continue; }
    const code = ch.charCodeAt(0);
    out += ESCAPED_IN_STRINGS.has(ch) || code > 0x7f ? unicodeEscape(code) : ch;
  }
  return out;
}

/** The escaped form Autotask may have signed, when it differs from the raw body; empty otherwise. */
export function escapedForms(rawBody: Buffer): string[] {
  const raw = rawBody.toString('utf8');
  const escaped = escapeAutotaskJson(raw);
  return escaped === raw ? [] : [escaped];
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
