/**
 * The router percent-decodes paths before matching (`/%61pi/invoices` is served by `/api/invoices`), so the admin
 * guard must judge the matched route, not the raw URL: an encoded character must never reach a guarded route
 * without the token. (Found by hand: before the fix these answered 200 with no token.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startProduct, type Product } from '../../helpers/product.js';

let p: Product;
beforeAll(async () => { p = await startProduct({ worker: false }); });
afterAll(async () => { await p?.close(); });

const ENCODED = [
  '/%61pi/invoices', '/a%70i/invoices', '/api/%69nvoices', '/%61%70%69/invoices?status=draft', '/%61pi/jobs/1',
  '/%61pi/stopwatches/abc', '/%61pi/dead-letters', '/admin/%71ueues', '/%61dmin/queues', '/admin/queues/%61pi/queues',
  '/%2561pi/invoices', '/api%2finvoices',
];

describe('admin guard on encoded paths', () => {
  it.each(ENCODED)('%s is never answered without the token', async (path) => {
    const response = await fetch(`${p.url}${path}`, { redirect: 'manual' });
    // 401 when the router serves a guarded route for it; 404 when no route matches. Never a 2xx or 3xx.
    expect([401, 404], `${path} → ${response.status}`).toContain(response.status);
  });

  it('the same paths work with the token (the guard still lets the owner in)', async () => {
    const response = await fetch(`${p.url}/%61pi/invoices`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
  });
});
