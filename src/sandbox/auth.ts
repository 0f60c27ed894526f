/**
 * Zone discovery and the credential check, with the failure shapes docs/autotask-api.md#zones, #authentication
 * reports: an unknown user is HTTP 500 "Zone information could not be determined", a bad integration code is
 * HTTP 500 "IntegrationCode is invalid.", and only a wrong secret is a 401.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual as same } from '../lib/constant-time.js';
import type { SandboxCredentials } from './options.js';
import type { TenantStore } from './store.js';

export type AuthVerdict = { ok: true } | { ok: false; status: number; body: unknown };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export const ZONE_UNKNOWN = { errors: ['Zone information could not be determined'] };

export function checkCredentials(headers: IncomingHttpHeaders, credentials: SandboxCredentials): AuthVerdict {
  const user = header(headers, 'username');
  if (!user || user.toLowerCase() !== credentials.username.toLowerCase()) return { ok: false, status: 500, body: ZONE_UNKNOWN };
  const code = header(headers, 'apiintegrationcode');
  if (!code || !same(code, credentials.integrationCode)) return { ok: false, status: 500, body: { errors: ['IntegrationCode is invalid.'] } };
  const secret = header(headers, 'secret');
  if (!secret || !same(secret, credentials.secret)) {
    return { ok: false, status: 401, body: { Message: 'Authorization has been denied for this request.' } };
  }
  return { ok: true };
}

/** `GET V1.0/zoneInformation?user=`: no credentials needed; any user of the tenant resolves to this zone. */
export function zoneInformation(user: string | null, credentials: SandboxCredentials, store: TenantStore,
  restRoot: string, webUrl: string): { status: number; body: unknown } {
  const wanted = (user ?? '').trim().toLowerCase();
  const known = wanted !== '' && (wanted === credentials.username.toLowerCase()
    || store.all('Resources').some((r) => String(r.userName ?? '').toLowerCase() === wanted
      || String(r.email ?? '').toLowerCase() === wanted));
  if (!known) return { status: 500, body: ZONE_UNKNOWN };
  return { status: 200, body: { zoneName: 'Sandbox Zone (local)', url: restRoot, webUrl, ci: 0 } };
}

export function impersonationHeader(headers: IncomingHttpHeaders): string | undefined {
  return header(headers, 'impersonationresourceid');
}
