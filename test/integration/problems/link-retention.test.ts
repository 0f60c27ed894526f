/**
 * Retention of the problem-link ledger (docs/store-bounds.md#retention): entries of tickets that left the store and
 * are still linked in Autotask go after store.retentionDays; a re-pulled ticket is then skipped by its own
 * problemTicketID, never PATCHed again; a person's unlink keeps its entry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { detectProblemsJob } from '../../../jobs/detect-problems.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

const DAY = 86_400_000;
const later = (days: number): Date => new Date(Date.now() + days * DAY);
const ticketPatches = () => h.sandbox.requestLog.filter((r) => r.method === 'PATCH' && r.path.includes('Tickets')).length;

describe('problem-link ledger retention', () => {
  it('drops old links of tickets no longer pulled; re-pulled, they are not linked again; a person\'s unlink is kept', async () => {
    h = await startHarness({ file: { store: { retentionDays: 30 } } });
    await h.run(syncTicketsJob);
    await h.run(detectProblemsJob);
    const series = [...DEMO_FACTS.narcolepticServer.ticketIds];
    const ledgerKey = tenantKeys(h.prefix, h.tenant.id).ledger('problem-links');
    const linked = await h.scope.problemLinks.linked();
    expect(series.every((id) => linked.has(id))).toBe(true);
    const entries = linked.size;

    // Still pulled: kept, however old.
    expect((await h.run(detectProblemsJob, {}, { now: later(31) })).counts.linksDropped).toBe(0);

    // The series leaves the look-back window; a person unlinks one of them in Autotask meanwhile.
    const [unlinked, ...rest] = series as [number, ...number[]];
    h.sandbox.data.update('Tickets', unlinked, { problemTicketId: null });
    await h.scope.entities.remove('Tickets', series);
    // Looked at again one retention period after the last check.
    expect((await h.run(detectProblemsJob, {}, { now: later(31) })).counts.linksDropped).toBe(0);
    const dropped = await h.run(detectProblemsJob, {}, { now: later(62) });
    expect(dropped.counts.linksDropped).toBe(rest.length);
    expect(await h.redis.hlen(ledgerKey)).toBe(entries - rest.length);
    expect((await h.scope.problemLinks.getMany([unlinked])).get(unlinked)?.state).toBe('linked');

    // Pulled again without their entries: still linked in Autotask, so nothing is PATCHed; the unlink stands.
    const patches = ticketPatches();
    expect(patches).toBeGreaterThanOrEqual(series.length);
    await h.run(syncTicketsJob, { full: true });
    expect((await h.scope.entities.getMany('Tickets', series)).size).toBe(series.length);
    const again = await h.run(detectProblemsJob, {}, { now: later(63) });
    expect(again.counts.incidentsLinked).toBe(0);
    expect(ticketPatches()).toBe(patches);
    expect(h.sandbox.data.get('Tickets', unlinked)?.problemTicketId).toBeNull();
  });
});
