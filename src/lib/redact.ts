/**
 * Secret redaction. Two mechanisms, because secrets leak two ways:
 *  - by key: any object property whose name looks like a credential (Secret, ApiIntegrationCode, password,
 *    token, authorization, …) is replaced wherever it appears (headers of a failed axios request, job data);
 *  - by value: the actual secret strings of the running process are registered at start (from config) and
 *    scrubbed out of any text, so a secret echoed inside an error message is caught too.
 */
const SECRET_KEY = /^(secret|password|passwd|apiintegrationcode|integrationcode|integration_code|token|admintoken|authorization|x-hook-signature|cookie|set-cookie|webhooksecret|apikey|api_key)$/i;
export const REDACTED = '[redacted]';

const knownSecrets = new Set<string>();

/** Registers secret values so that they are scrubbed from every text. Values shorter than 4 are ignored. */
export function registerSecrets(values: Iterable<string | undefined | null>): void {
  for (const value of values) if (value && value.length >= 4) knownSecrets.add(value);
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[-\s]/g, '')) || SECRET_KEY.test(key);
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** Deep copy with secret-named keys and known secret values replaced. Handles cycles. */
export function redactValue(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redactValue(item, seen));
    return out;
  }
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretKey(key) && inner !== undefined && inner !== null ? REDACTED : redactValue(inner, seen);
  }
  return out;
}
