/**
 * ADMIN_TOKEN guard for /api/* and the dashboard. Without a configured token those routes answer 403 to every
 * request (never open); with one, a request needs `Authorization: Bearer <token>`, else 401.
 * Tokens are compared in constant time over SHA-256 digests (equal length whatever the input, so neither the
 * content nor the length leaks through timing).
 *
 * A browser cannot send a bearer header to the dashboard, so `/admin/queues?token=<token>` once sets an
 * HttpOnly, SameSite=Strict cookie scoped to /admin/queues and redirects to the URL without the token (keeping
 * it out of history and logs). The cookie holds an HMAC of the token, not the token.
 */
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../lib/constant-time.js';

export { safeEqual };

export const DASHBOARD_PATH = '/admin/queues';
export const SESSION_COOKIE = 'autotask_sync_admin';

export function isGuardedPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
}

export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('autotask-sync dashboard session v1').digest('base64url');
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

/** One cookie of the request (the console's session cookie reads it too). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The path as the router sees it: percent-decoded (`/%61pi/…` is routed to `/api/…`). Undecodable → as given. */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * Whether a request needs the token. Judged on the route the router matched (its pattern, e.g. `/api/jobs/:id`)
 * and on the decoded path — never on the raw URL alone, which an encoded character (`/%61pi/jobs`) would slip past.
 */
function isGuardedRequest(request: FastifyRequest, pathname: string): boolean {
  const route = request.routeOptions?.url;
  return (route !== undefined && isGuardedPath(route)) || isGuardedPath(decodedPath(pathname)) || isGuardedPath(pathname);
}

export function createAdminGuard(adminToken: string | undefined) {
  const session = adminToken ? sessionValue(adminToken) : undefined;
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const url = new URL(request.url, 'http://local');
    if (!isGuardedRequest(request, url.pathname)) return;
    if (!adminToken || !session) {
      await reply.code(403).send({ error: 'ADMIN_DISABLED', message: 'ADMIN_TOKEN is not set: the admin API and dashboard are disabled' });
      return;
    }
    const given = bearer(request);
    if (given !== undefined && safeEqual(given, adminToken)) return;
    const path = decodedPath(url.pathname);
    const dashboard = path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
    if (dashboard) {
      const fromCookie = readCookie(request, SESSION_COOKIE);
      if (fromCookie !== undefined && safeEqual(fromCookie, session)) return;
      const fromQuery = url.searchParams.get('token');
      if (fromQuery !== null && safeEqual(fromQuery, adminToken)) {
        url.searchParams.delete('token');
        const secure = request.protocol === 'https' ? '; Secure' : '';
        await reply
          .header('set-cookie', `${SESSION_COOKIE}=${session}; Path=${DASHBOARD_PATH}; HttpOnly; SameSite=Strict${secure}`)
          .redirect(`${url.pathname}${url.search}`, 302);
        return;
      }
    }
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'UNAUTHORIZED', message: 'missing or wrong admin token' });
  };
}
