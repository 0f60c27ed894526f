/**
 * `push-time-entries`: every entry becomes exactly one Autotask time entry (src/push/time-entries.ts).
 * With entries in the data, those are pushed; with none (as in sync-all), the sweep pushes what an earlier run
 * left pending and every stopped stopwatch whose enqueue was lost, so nothing waits for a human.
 */
import { z } from 'zod';
import { pushTimeEntries } from '../src/push/time-entries.js';
import { stopwatchEntry } from '../src/rules/stopwatch.js';
import { timeEntryInputSchema, type TimeEntryInput } from '../src/rules/time-entry-input.js';
import { defineJob } from './define-job.js';

const SWEEP_LIMIT = 500;

export const pushTimeEntriesJob = defineJob({
  name: 'push-time-entries',
  description: 'Create one Autotask time entry per entry key (stopwatches, imports); without entries, push what is pending',
  // 500 entries keeps one job well inside Autotask's 5-minute server-side limit.
  schema: z.strictObject({ entries: z.array(timeEntryInputSchema).max(500).default([]) }),
  writesToTenant: true,
  syncAllStage: 'chain',
  async handler(ctx) {
    const { client, ledger, stopwatches } = ctx.scope;
    let entries: TimeEntryInput[] = ctx.data.entries;
    const swept = entries.length === 0;
    if (swept) {
      const byKey = new Map<string, TimeEntryInput>();
      for (const state of await ledger.pending(SWEEP_LIMIT)) if (state.entry) byKey.set(state.key, state.entry);
      // Page through every unpushed stopwatch: refused ones (waiting for a person) are skipped, not counted, so
      // however many there are they never starve one whose enqueue was lost (issue 14 item 10).
      for (let offset = 0; byKey.size < SWEEP_LIMIT; offset += SWEEP_LIMIT) {
        const ids = await stopwatches.unpushed(SWEEP_LIMIT, offset);
        for (const id of ids) {
          const sw = await stopwatches.get(id);
          // A stopwatch whose push was refused waits for a person to fix the ticket or resource, not for a loop.
          const entry = sw && !sw.pushError ? stopwatchEntry(sw) : null;
          if (entry && !byKey.has(entry.key)) byKey.set(entry.key, entry);
        }
        if (ids.length < SWEEP_LIMIT) break;
      }
      entries = [...byKey.values()].slice(0, SWEEP_LIMIT);
    }
    // Per entry a look-up and a create, plus the batch's ticket and resource reads (src/push/time-entries.ts).
    await ctx.planRequests(entries.length > 0 ? 2 * entries.length + 2 : 0);
    const outcomes = await pushTimeEntries({ client, ledger, stopwatches, policy: ctx.config.timeEntries,
      logger: ctx.logger, dryRun: ctx.dryRun, signal: ctx.signal, now: () => ctx.now(),
      unknownOutcome: { windowMs: ctx.config.autotask.unknownOutcomeWindowMs, lookEveryMs: ctx.config.autotask.unknownOutcomeLookMs },
      // A sweep (sync-all) reports what waits and leaves it pending for the next sweep; a run for given entries waits.
      delayWhenWaiting: !swept }, entries);
    // Retention (docs/store-bounds.md#retention): a bounded batch of keys settled longer ago than store.retentionDays.
    const before = new Date(ctx.now().getTime() - ctx.config.store.retentionDays * 86_400_000);
    const retentionDropped = ctx.dryRun ? 0 : await ledger.trimSettled(before, SWEEP_LIMIT);
    const stopwatchesDropped = ctx.dryRun ? 0 : await stopwatches.trimPushed(before, SWEEP_LIMIT);
    const count = (status: string): number => outcomes.filter((o) => o.status === status).length;
    const counts = { created: count('created'), found: count('found'), alreadyPushed: count('already-pushed'),
      wouldCreate: count('would-create'), refused: count('refused'), waiting: count('waiting'), retentionDropped, stopwatchesDropped };
    const refusals = outcomes.filter((o) => o.status === 'refused');
    return {
      summary: `Time entries${swept ? ' (pending sweep)' : ''}: ${counts.created} created, ${counts.found} found already made, ` +
        `${counts.alreadyPushed} already pushed, ${counts.refused} refused${counts.waiting ? `, ${counts.waiting} waiting on a create that may still land` : ''}${ctx.dryRun ? `, ${counts.wouldCreate} would be created` : ''}`,
      counts,
      outcomes,
      refusals,
      writes: outcomes.flatMap((o) => (o.status === 'would-create' || o.status === 'created'
        ? [{ method: 'POST' as const, entity: 'TimeEntries', body: { ...o.body }, reason: o.reasons.join('; ') }] : [])),
    };
  },
});
