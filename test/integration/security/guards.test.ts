/**
 * Every guarded route (/api/* and the dashboard) refuses a request without the admin token or with a wrong one
 * (401), and refuses everything when no ADMIN_TOKEN is configured (403, never open). A refused request reaches
 * neither a handler nor the tenant, and the answer never echoes what was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startProduct, type Product } from '../../helpers/product.js';

const GUARDED: Array<{ method: 'GET' | 'POST'; path: string; body?: unknown }> = [
  { method: 'POST', path: '/api/jobs/sync-tickets', body: { data: {} } },
  { method: 'GET', path: '/api/jobs/1' },
  { method: 'GET', path: '/api/dead-letters' },
  { method: 'POST', path: '/api/dead-letters/dl-1/requeue' },
  { method: 'POST', path: '/api/dead-letters/requeue-all' },
  { method: 'GET', path: '/api/invoices?status=draft' },
  { method: 'POST', path: '/api/stopwatches', body: { ticketId: 1, resourceId: 1 } },
  { method: 'POST', path: '/api/stopwatches/sw-1/pause' },
  { method: 'POST', path: '/api/stopwatches/sw-1/resume' },
  { method: 'POST', path: '/api/stopwatches/sw-1/stop', body: {} },
  { method: 'GET', path: '/api/stopwatches/sw-1' },
  { method: 'GET', path: '/api' },
  { method: 'GET', path: '/api/no-such-route' },
  { method: 'GET', path: '/admin/queues' },
  { method: 'GET', path: '/admin/queues/api/queues' },
  { method: 'GET', path: '/admin/queues/api/queues?activeQueue=jobs&status=failed' },
];

const WRONG: Array<[string, Record<string, string>]> = [
  ['no Authorization header', {}],
  ['a wrong bearer token', { authorization: 'Bearer not-the-admin-token-at-all' }],
  ['the token with one character more', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
  ['the token less its last character', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }],
  ['the token in upper case', { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` }],
  ['the token without the Bearer scheme', { authorization: ADMIN_TOKEN }],
  ['the token as Basic credentials', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }],
  ['an empty bearer', { authorization: 'Bearer ' }],
  ['the raw token as the dashboard cookie', { cookie: `autotask_sync_admin=${ADMIN_TOKEN}` }],
];

async function call(base: string, route: (typeof GUARDED)[number], headers: Record<string, string>, query = '') {
  const hasBody = route.body !== undefined;
  const separator = route.path.includes('?') ? '&' : '?';
  const response = await fetch(`${base}${route.path}${query ? separator + query : ''}`, {
    method: route.method, redirect: 'manual',
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(hasBody ? { body: JSON.stringify(route.body) } : {}),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

let guarded: Product;
let open: Product;
beforeAll(async () => {
  [guarded, open] = await Promise.all([startProduct({ worker: false }), startProduct({ worker: false, env: { ADMIN_TOKEN: '' } })]);
});
afterAll(async () => { await Promise.all([guarded?.close(), open?.close()]); });

describe('with ADMIN_TOKEN configured', () => {
  it.each(WRONG)('answers 401 on every guarded route with %s', async (_name, headers) => {
    for (const route of GUARDED) {
      const answer = await call(guarded.url, route, headers);
      expect(answer.status, `${route.method} ${route.path}`).toBe(401);
      expect(JSON.parse(answer.text)).toMatchObject({ error: 'UNAUTHORIZED' });
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.text).not.toContain(ADMIN_TOKEN.slice(0, 12));
    }
  });

  it('does not take the token from the query string on /api', async () => {
    for (const route of GUARDED.filter((r) => r.path.startsWith('/api'))) {
      expect((await call(guarded.url, route, {}, `token=${ADMIN_TOKEN}`)).status, route.path).toBe(401);
    }
  });

  it('answers 401 to /admin/queues?token= with a wrong or empty token, and sets no cookie', async () => {
    for (const token of ['wrong-token-0123456789', '', ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN} `]) {
      const answer = await call(guarded.url, { method: 'GET', path: '/admin/queues' }, {}, `token=${encodeURIComponent(token)}`);
      expect(answer.status, JSON.stringify(token)).toBe(401);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
  });

  it('lets the right token through (so the refusals above are the guard, not a broken route)', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    for (const route of GUARDED) {
      const { status } = await call(guarded.url, route, auth);
      expect([401, 403], `${route.method} ${route.path}`).not.toContain(status);
    }
    const viaQuery = await call(guarded.url, { method: 'GET', path: '/admin/queues' }, {}, `token=${ADMIN_TOKEN}`);
    expect(viaQuery.status).toBe(302);
    expect(viaQuery.headers.get('location')).toBe('/admin/queues');
    const cookie = viaQuery.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
  });

  it('leaves /healthz and /metrics open', async () => {
    for (const path of ['/healthz', '/metrics']) expect((await fetch(`${guarded.url}${path}`)).status, path).toBe(200);
  });
});

describe('without ADMIN_TOKEN', () => {
  it('answers 403 on every guarded route, whatever is sent', async () => {
    for (const headers of [{}, { authorization: `Bearer ${ADMIN_TOKEN}` }, { authorization: 'Bearer ' }] as Array<Record<string, string>>) {
      for (const route of GUARDED) {
        const answer = await call(open.url, route, headers);
        expect(answer.status, `${route.method} ${route.path}`).toBe(403);
        expect(JSON.parse(answer.text)).toMatchObject({ error: 'ADMIN_DISABLED' });
      }
    }
    expect((await call(open.url, { method: 'GET', path: '/admin/queues' }, {}, 'token=')).status).toBe(403);
  });
});

describe('refused requests', () => {
  it('reached neither the tenant nor the queue', async () => {
    // Only the authorised pass above may have touched the tenant (the stopwatch start reads a ticket).
    expect(open.sandbox.stats().totalRequests).toBe(0);
    expect(open.sandbox.stats().writes).toEqual({});
    expect(guarded.sandbox.stats().writes).toEqual({});
  });
});
