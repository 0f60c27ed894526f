/**
 * Issue 18, an unconfirmed report: "a stopwatch pushed at real clock kept no timeEntryId". The other stopwatch
 * tests move a fake clock; this one runs the product on the real clock (no `now` passed anywhere): start, wait
 * until the wall clock has moved on, stop, and let the push job run. The stopwatch must keep the id of the one
 * time entry Autotask created, and the console's Time page must list it under "pushed" with that id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { ADMIN_TOKEN, eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product;
beforeAll(async () => { p = await startProduct(); });
afterAll(async () => { await p?.close(); });

/** A console session by the sign-in form, as a browser gets it (nonce cookie, then the session cookie). */
async function consoleCookie(url: string): Promise<string> {
  const form = await fetch(`${url}/console/sign-in`);
  const nonceCookie = form.headers.getSetCookie().find((c) => c.startsWith('autotask_sync_console_signin='))?.split(';')[0];
  const nonce = /name="nonce" value="([^"]+)"/.exec(await form.text())?.[1];
  expect(nonceCookie && nonce).toBeTruthy();
  const signedIn = await fetch(`${url}/console/sign-in`, { method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: nonceCookie! },
    body: new URLSearchParams({ token: ADMIN_TOKEN, nonce: nonce! }).toString() });
  const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('autotask_sync_console='))?.split(';')[0];
  expect(session).toBeDefined();
  return session!;
}

function settled(id: string) {
  return async () => {
    const view = (await p.api('GET', `/api/stopwatches/${id}`)).body;
    return view.timeEntryId !== null || view.pushError !== null ? view : undefined;
  };
}

describe('a stopwatch on the real clock', () => {
  it('keeps the id of the time entry it became, and the Time page shows it', async () => {
    const { ticketId, resourceId } = DEMO_FACTS.assignedOpenTickets[0]!;
    const started = await p.api('POST', '/api/stopwatches', { ticketId, resourceId, summaryNotes: 'real clock stopwatch' });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    // Real time has to pass for there to be time worked: wait for the clock, not for a guessed delay.
    await expect.poll(() => Date.now() - Date.parse(started.body.startedAt as string), { timeout: 10_000, interval: 100 }).toBeGreaterThan(1_500);
    expect((await p.api('POST', `/api/stopwatches/${id}/stop`, {})).status).toBe(200);

    const done = await eventually(settled(id), 30_000, 'the push');
    expect(done.pushError).toBe(null);
    const entries = p.sandbox.data.all('TimeEntries').filter((t) => t.summaryNotes === 'real clock stopwatch');
    expect(entries.map((t) => t.id)).toEqual([done.timeEntryId]);
    expect(entries[0]).toMatchObject({ ticketID: ticketId, resourceID: resourceId, startDateTime: started.body.startedAt });

    const cookie = await consoleCookie(p.url);
    const page = await (await fetch(`${p.url}/console/time`, { headers: { cookie } })).text();
    const pushed = page.slice(page.indexOf('id="pushed-default"'));
    const row = new RegExp(`<tr data-stopwatch="${id}">(.*?)</tr>`, 's').exec(pushed)?.[1] ?? '';
    expect(row).toContain(`<td>stopped</td><td>${done.timeEntryId}</td>`);
  }, 60_000);
});
