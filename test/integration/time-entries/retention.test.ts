/**
 * Retention of the time-entry ledger (docs/store-bounds.md#retention): keys settled longer ago than
 * store.retentionDays are dropped, pending ones stay, and a re-pushed dropped key finds its entry in Autotask by
 * ticket, resource and start instead of creating a second one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pushTimeEntriesJob } from '../../../jobs/push-time-entries.js';
import { stopwatchEntry } from '../../../src/rules/stopwatch.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

const DAY = 86_400_000;
const ticket = DEMO_FACTS.assignedOpenTickets[0]!;
const later = (days: number): Date => new Date(Date.now() + days * DAY);

function entry(key: string, hour: number, extra: Record<string, unknown> = {}) {
  const start = new Date(Date.UTC(2026, 10, 20, hour, 0));
  return { key, ticketId: ticket.ticketId, resourceId: ticket.resourceId, roleId: ticket.roleId, startDateTime: start.toISOString(),
    endDateTime: new Date(start.getTime() + 3_600_000).toISOString(), workedSeconds: null, summaryNotes: `work ${key}`, internalNotes: null, ...extra };
}

describe('time-entry ledger retention', () => {
  it('drops settled keys after the retention period; a re-pushed key is found in Autotask, not created twice', async () => {
    h = await startHarness({ file: { store: { retentionDays: 30 } } });
    const entries = [entry('kept-once', 9), entry('refused', 11, { workedSeconds: 0 })];
    const first = await h.run(pushTimeEntriesJob, { entries });
    expect(first.counts).toMatchObject({ created: 1, refused: 1 });
    const made = h.sandbox.data.count('TimeEntries');
    // A key still pending (a crashed attempt) is work, never dropped by age.
    await h.scope.ledger.markPending('crashed', 'fingerprint');

    expect((await h.run(pushTimeEntriesJob, { entries: [] }, { now: later(29) })).counts.retentionDropped).toBe(0);
    const sweep = await h.run(pushTimeEntriesJob, { entries: [] }, { now: later(31) });
    expect(sweep.counts.retentionDropped).toBe(2);
    expect(await h.scope.ledger.get('kept-once')).toBeNull();
    expect((await h.scope.ledger.get('crashed'))?.status).toBe('pending');
    expect(await h.redis.hlen(tenantKeys(h.prefix, h.tenant.id).ledger('time-entries'))).toBe(1);

    // The same key pushed again (a re-sent import, a dead letter retried by hand): found, not created.
    const again = await h.run(pushTimeEntriesJob, { entries: [entries[0]] }, { now: later(32) });
    expect(again.outcomes).toMatchObject([{ key: 'kept-once', status: 'found' }]);
    expect(h.sandbox.data.count('TimeEntries')).toBe(made);
  });

  it('keys a version without the age index settled are dropped by their own last change', async () => {
    h = await startHarness({ file: { store: { retentionDays: 30 } } });
    await h.run(pushTimeEntriesJob, { entries: [entry('old-version', 13)] });
    // As a store written before the age index: the ledger record only.
    const keys = tenantKeys(h.prefix, h.tenant.id);
    await h.redis.del(keys.ledgerAge('time-entries'), `${keys.ledgerAge('time-entries')}:built`);
    expect(await h.scope.ledger.trimSettled(later(-1), 500)).toBe(0);
    expect(await h.scope.ledger.get('old-version')).not.toBeNull();
    expect(await h.scope.ledger.trimSettled(later(1), 500)).toBe(1);
    expect(await h.scope.ledger.get('old-version')).toBeNull();
  });

  it('drops stopwatches pushed before the retention period; a re-push of one finds its entry, creates none', async () => {
    h = await startHarness({ file: { store: { retentionDays: 30 } } });
    const startedAt = new Date(Date.UTC(2026, 10, 20, 15, 0));
    const started = await h.scope.stopwatches.start({ ticketId: ticket.ticketId, resourceId: ticket.resourceId, roleId: ticket.roleId,
      summaryNotes: 'stopwatch work' }, startedAt);
    if (!started.ok) throw new Error(started.reason);
    const id = started.stopwatch.id;
    const stopped = await h.scope.stopwatches.stop(id, {}, new Date(startedAt.getTime() + 3_600_000));
    if (!stopped.ok) throw new Error(stopped.reason);
    // A running one is never dropped, however old.
    const running = await h.scope.stopwatches.start({ ticketId: ticket.ticketId, resourceId: ticket.resourceId, roleId: ticket.roleId }, startedAt);
    if (!running.ok) throw new Error(running.reason);
    const entry = stopwatchEntry(stopped.stopwatch)!;
    expect((await h.run(pushTimeEntriesJob, { entries: [entry] })).counts.created).toBe(1);
    expect((await h.scope.stopwatches.get(id))?.timeEntryId).not.toBeNull();
    const made = h.sandbox.data.count('TimeEntries');

    expect((await h.run(pushTimeEntriesJob, { entries: [] }, { now: later(29) })).counts.stopwatchesDropped).toBe(0);
    expect((await h.run(pushTimeEntriesJob, { entries: [] }, { now: later(31) })).counts.stopwatchesDropped).toBe(1);
    expect(await h.scope.stopwatches.get(id)).toBeNull();
    expect((await h.scope.stopwatches.list()).map((s) => s.id)).toEqual([running.stopwatch.id]);

    // Its push retried after both records are gone (a dead letter requeued by hand): found, not created.
    const again = await h.run(pushTimeEntriesJob, { entries: [entry] }, { now: later(32) });
    expect(again.outcomes).toMatchObject([{ key: id, status: 'found' }]);
    expect(h.sandbox.data.count('TimeEntries')).toBe(made);
  });
});
