/** The console's escaping, sessions and CSRF tokens (src/http/console/): what the browser tests cannot see directly. */
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { invoiceCsv } from '../../../src/http/console/csv.js';
import { html } from '../../../src/http/console/html.js';
import { cookieFlags, createConsoleSessions, SESSION_TTL_MS } from '../../../src/http/console/session.js';

const TOKEN = 'console-unit-token-0123456789';
const now = new Date('2026-12-01T10:00:00.000Z');

describe('console html', () => {
  it('escapes every interpolated value, nested markup built by the tag stays markup', () => {
    const title = '<script>alert("x")</script> & \'quoted\'';
    const out = html`<td title="${title}">${title}</td>${[html`<b>${'<i>'}</b>`]}`.value;
    expect(out).toBe('<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;">'
      + '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</td><b>&lt;i&gt;</b>');
  });
});

describe('console sessions', () => {
  const sessions = createConsoleSessions(TOKEN);

  it('issues a session that is not the token, valid until its expiry and not after', () => {
    const session = sessions.issue(now);
    expect(session.value).not.toContain(TOKEN);
    expect(session.expires.getTime()).toBe(now.getTime() + SESSION_TTL_MS);
    expect(sessions.verify(session.value, now)).toBe(true);
    expect(sessions.verify(session.value, new Date(now.getTime() + SESSION_TTL_MS))).toBe(false);
  });

  it('refuses a forged expiry, a session of another token and garbage', () => {
    const session = sessions.issue(now).value;
    const [expiry, mac] = session.split('.');
    expect(sessions.verify(`${Number(expiry) + 1}.${mac}`, now)).toBe(false);
    expect(sessions.verify(createConsoleSessions(`${TOKEN}-other`).issue(now).value, now)).toBe(false);
    for (const bad of [undefined, '', TOKEN, 'a.b', `${expiry}.`]) expect(sessions.verify(bad, now)).toBe(false);
  });

  it('binds the CSRF token to the session', () => {
    const a = sessions.issue(now).value;
    const b = sessions.issue(new Date(now.getTime() + 1000)).value;
    expect(sessions.verifyCsrf(a, sessions.csrfFor(a))).toBe(true);
    expect(sessions.verifyCsrf(a, sessions.csrfFor(b))).toBe(false);
    expect(sessions.verifyCsrf(a, undefined)).toBe(false);
    expect(sessions.tokenMatches(TOKEN)).toBe(true);
    expect(sessions.tokenMatches(`${TOKEN}x`)).toBe(false);
  });

  it('marks cookies Secure over HTTPS or behind a trusted proxy only', () => {
    const request = (protocol: string) => ({ protocol }) as FastifyRequest;
    expect(cookieFlags(request('http'), false)).toBe('HttpOnly; SameSite=Strict');
    expect(cookieFlags(request('https'), false)).toBe('HttpOnly; SameSite=Strict; Secure');
    expect(cookieFlags(request('http'), true)).toBe('HttpOnly; SameSite=Strict; Secure');
  });
});

describe('invoice CSV', () => {
  it('quotes commas and quotes, and defuses spreadsheet formulas', () => {
    const csv = invoiceCsv({ invoiceKey: 'k1', companyID: 1, purchaseOrderNumber: '=HYPERLINK("x")', subtotal: 10, tax: 1, total: 11,
      companyName: 'Northwind, Ltd', currency: 'EUR',
      items: [{ billingItemID: 5, itemName: 'Disk, 2 TB', description: 'say "hi"', quantity: 1, rate: -10, extendedPrice: 10 }] }, 'acme');
    const [head, item, , , total] = csv.split('\r\n');
    expect(head).toMatch(/^invoiceKey,companyID,purchaseOrderNumber,billingItemID,/);
    expect(item).toBe('k1,1,"\'=HYPERLINK(""x"")",5,,"Disk, 2 TB","say ""hi""",1,-10,10,,,,,,acme,"Northwind, Ltd",EUR');
    expect(head).toMatch(/,tenant,companyName,currency$/);
    expect(total).toBe(',,,,,total,,,,11');
  });
});
