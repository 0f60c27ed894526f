/**
 * Console sessions and CSRF tokens, stateless and derived from ADMIN_TOKEN (so every worker of a deployment
 * accepts them, and changing the token signs everyone out):
 * - key = HMAC(ADMIN_TOKEN, "console key v1"): the token itself never appears in a cookie;
 * - session cookie = "<expiry ms>.<HMAC(key, 'session:' + expiry)>", refused once expired or forged;
 * - CSRF token = HMAC(key, 'csrf:' + session cookie), sent in a hidden field of every form and checked on every
 *   POST (SameSite=Strict alone does not cover same-site attackers or older browsers);
 * - the sign-in form itself carries a random nonce that must equal a short-lived pre-session cookie (double
 *   submit), so another site cannot sign a browser in (login CSRF).
 * Every comparison goes through safeEqual (src/lib/constant-time.ts).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../lib/constant-time.js';
import { DASHBOARD_PATH, SESSION_COOKIE as DASHBOARD_COOKIE, sessionValue as dashboardSession } from '../auth.js';

export const CONSOLE_COOKIE = 'autotask_sync_console';
export const SIGN_IN_COOKIE = 'autotask_sync_console_signin';
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface ConsoleSessions {
  /** A fresh session cookie value valid until now + SESSION_TTL_MS. */
  issue(now: Date): { value: string; expires: Date };
  /** Whether the cookie value is a session we issued that has not expired. */
  verify(value: string | undefined, now: Date): boolean;
  csrfFor(session: string): string;
  verifyCsrf(session: string, given: unknown): boolean;
  tokenMatches(given: unknown): boolean;
}

export function createConsoleSessions(adminToken: string): ConsoleSessions {
  const key = createHmac('sha256', adminToken).update('autotask-sync console key v1').digest();
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  return {
    issue(now) {
      const expires = new Date(now.getTime() + SESSION_TTL_MS);
      return { value: `${expires.getTime()}.${mac(`session:${expires.getTime()}`)}`, expires };
    },
    verify(value, now) {
      if (!value) return false;
      const match = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value);
      if (!match) return false;
      const expiry = Number(match[1]);
      return safeEqual(match[2]!, mac(`session:${expiry}`)) && expiry > now.getTime();
    },
    csrfFor: (session) => mac(`csrf:${session}`),
    verifyCsrf: (session, given) => typeof given === 'string' && safeEqual(given, mac(`csrf:${session}`)),
    tokenMatches: (given) => typeof given === 'string' && given.length > 0 && safeEqual(given.trim(), adminToken),
  };
}

/** Secure whenever the request came over HTTPS or through the trusted TLS-terminating proxy (TRUST_PROXY). */
export function cookieFlags(request: FastifyRequest, trustProxy: boolean): string {
  return `HttpOnly; SameSite=Strict${request.protocol === 'https' || trustProxy ? '; Secure' : ''}`;
}

export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

export function setSessionCookies(reply: FastifyReply, request: FastifyRequest, trustProxy: boolean, adminToken: string,
  session: { value: string; expires: Date }): void {
  const flags = cookieFlags(request, trustProxy);
  const expires = `Expires=${session.expires.toUTCString()}`;
  reply.header('set-cookie', [
    `${CONSOLE_COOKIE}=${session.value}; Path=/console; ${expires}; ${flags}`,
    // The console links to the Bull Board; its own cookie lets that link open without a second sign-in.
    `${DASHBOARD_COOKIE}=${dashboardSession(adminToken)}; Path=${DASHBOARD_PATH}; ${expires}; ${flags}`,
    `${SIGN_IN_COOKIE}=; Path=/console; Max-Age=0; ${flags}`,
  ]);
}

export function clearSessionCookies(reply: FastifyReply, request: FastifyRequest, trustProxy: boolean): void {
  const flags = cookieFlags(request, trustProxy);
  reply.header('set-cookie', [`${CONSOLE_COOKIE}=; Path=/console; Max-Age=0; ${flags}`,
    `${DASHBOARD_COOKIE}=; Path=${DASHBOARD_PATH}; Max-Age=0; ${flags}`]);
}
