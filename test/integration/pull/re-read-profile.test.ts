/**
 * A forced full re-read of tickets planned from the last complete read's page boundaries
 * (docs/autotask-api.md#re-read-profile), against the sandbox over HTTP and real Redis: no count, one request per
 * page plus one, every ticket that changed since stored; a profile made under another look-back, or too old, plans
 * nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { PROFILE_MAX_AGE_MS } from '../../../src/pull/resumable-read.js';
import { generateTenant } from '../../../src/sandbox/index.js';
import { EntityStore } from '../../../src/store/entity-store.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

const now = new Date();
const DAY = 86_400_000;
// generateTenant spreads tickets over a year: a look-back longer than that keeps them all (several pages).
const LOOKBACK_DAYS = 400;
const file = { pull: { ticketsLookbackDays: LOOKBACK_DAYS } };
let h: Harness;
afterEach(async () => { await h?.close(); });

function ticketReads(harness: Harness, from: number) {
  const log = harness.sandbox.requestLog.slice(from).filter((r) => r.entity === 'Tickets' && r.method === 'POST');
  return { counts: log.filter((r) => r.path.endsWith('/query/count')).length, pages: log.filter((r) => r.path.endsWith('/query')).length };
}

interface Saved { key: string; savedAt: string; profile: { boundaries: number[]; total: number } }

describe('a full re-read planned from the last read\'s profile', () => {
  it('needs no count and one request per page plus one, and stores what changed meanwhile', async () => {
    h = await startHarness({ sandbox: { scenario: generateTenant({ seed: 3, now, tickets: 3_000 }), now }, file });
    const store = new EntityStore(h.redis, h.prefix, h.tenant.id);
    const data = h.sandbox.data;
    const lookback = new Date(now.getTime() - LOOKBACK_DAYS * DAY).toISOString();
    const old = new Date(now.getTime() - (LOOKBACK_DAYS + 10) * DAY).toISOString();
    // A low id outside the look-back at the first read (it comes back below).
    const revived = data.all('Tickets')[10]!;
    data.update('Tickets', revived.id, { lastActivityDate: old });
    const first = await h.run(syncTicketsJob);
    expect(ticketReads(h, 0).counts).toBe(1);
    const saved = await store.getReadProfile<Saved>('tickets');
    expect(saved?.key).toBe(`lookbackDays=${LOOKBACK_DAYS}`);
    expect(saved?.profile.total).toBe(first.counts.read);

    // Since then: a new ticket above every id, an old one whose activity moved into the look-back, one that left it.
    const recent = new Date(now.getTime() - 60_000).toISOString();
    const template = data.all('Tickets').find((t) => String(t.lastActivityDate) >= lookback)!;
    const { id: _drop, ...fields } = template;
    const added = data.insert('Tickets', { ...fields, title: 'new since the profile', lastActivityDate: recent });
    data.update('Tickets', revived.id, { lastActivityDate: recent });
    const left = data.all('Tickets').find((t) => String(t.lastActivityDate) >= lookback && t.id !== template.id && t.id !== added.id)!;
    data.update('Tickets', left.id, { lastActivityDate: old });
    const expected = data.all('Tickets').filter((t) => String(t.lastActivityDate) >= lookback).map((t) => t.id).sort((a, b) => a - b);

    const before = h.sandbox.requestLog.length;
    const again = await h.run(syncTicketsJob, { full: true });
    const reads = ticketReads(h, before);
    expect(reads.counts).toBe(0);
    expect(again.counts.read).toBe(expected.length);
    // Planned on the old boundaries: at most one page more than an exact plan for each chain the changes touched.
    expect(reads.pages).toBeGreaterThanOrEqual(Math.floor(expected.length / 500) + 1);
    expect(reads.pages).toBeLessThanOrEqual(Math.ceil(expected.length / 500) + 3);
    // (The ticket that left stays stored until its stored activity leaves the look-back: pruning works from the store.)
    expect(await store.ids('Tickets')).toEqual(expect.arrayContaining(expected));
    expect(expected).toEqual(expect.arrayContaining([added.id, revived.id]));
    expect((await store.getReadProfile<Saved>('tickets'))?.profile.total).toBe(expected.length);

    // Nothing changed now: the fresh profile plans it exactly.
    const exact = h.sandbox.requestLog.length;
    await h.run(syncTicketsJob, { full: true });
    expect(ticketReads(h, exact)).toEqual({ counts: 0, pages: Math.floor(expected.length / 500) + 1 });
  });

  it.each([
    ['made under another look-back', (s: Saved) => ({ ...s, key: 'lookbackDays=30' })],
    ['older than a day', (s: Saved) => ({ ...s, savedAt: new Date(now.getTime() - PROFILE_MAX_AGE_MS - 60_000).toISOString() })],
    ['from the future (a clock that jumped)', (s: Saved) => ({ ...s, savedAt: new Date(now.getTime() + 3_600_000).toISOString() })],
    ['that is damaged (no boundaries)', (s: Saved) => ({ ...s, profile: { pageSize: 500, total: s.profile.total } })],
    ['with boundaries out of order', (s: Saved) => ({ ...s, profile: { ...s.profile, boundaries: [...s.profile.boundaries].reverse() } })],
  ])('a profile %s plans nothing: the read counts first and reads everything', async (_name, change) => {
    h = await startHarness({ sandbox: { scenario: generateTenant({ seed: 4, now, tickets: 1_600 }), now }, file });
    const store = new EntityStore(h.redis, h.prefix, h.tenant.id);
    await h.run(syncTicketsJob, {}, { now });
    const saved = (await store.getReadProfile<Saved>('tickets'))!;
    await store.setReadProfile('tickets', change(saved));
    const before = h.sandbox.requestLog.length;
    const again = await h.run(syncTicketsJob, { full: true }, { now });
    expect(ticketReads(h, before).counts).toBe(1);
    expect(again.counts.read).toBe(saved.profile.total);
  });
});
