/**
 * Pull tickets into the store (issue 5). Incremental by `lastActivityDate ≥ cursor − overlap` (the overlap absorbs
 * clock skew between Autotask's writers), bounded by the look-back that detection needs; the first run (or
 * `full`) is a partitioned full read of the look-back. The cursor is the largest lastActivityDate actually
 * stored — Autotask's clock, not ours — and moves only after the whole read is stored.
 */
import { toAutotaskDateTime } from '../lib/time.js';
import { mapInSlices } from '../lib/slices.js';
import { PULLED_FIELDS, projectTicket } from '../store/projections.js';
import type { PullContext, PullResult } from './context.js';
import { resumableRead } from './resumable-read.js';

const CURSOR = 'tickets.lastActivityDate';
const DAY = 86_400_000;

export async function pullTickets(ctx: PullContext, options: { full?: boolean } = {}): Promise<PullResult> {
  const lookbackStart = new Date(ctx.now.getTime() - ctx.settings.ticketsLookbackDays * DAY);
  const cursor = options.full ? null : await ctx.store.getCursor(CURSOR);
  const since = cursor === null
    ? lookbackStart
    : new Date(Math.max(lookbackStart.getTime(), Date.parse(cursor) - ctx.settings.overlapMinutes * 60_000));
  const mode = cursor === null ? 'full' : 'incremental';

  let read = 0;
  const { resumed, extra } = await resumableRead(ctx, {
    name: 'tickets',
    entity: 'Tickets',
    filter: [{ op: 'gte', field: 'lastActivityDate', value: toAutotaskDateTime(since) }],
    partitioned: mode === 'full',
    profileKey: `lookbackDays=${ctx.settings.ticketsLookbackDays}`,
    includeFields: PULLED_FIELDS.Tickets,
    restart: options.full,
    extra: { maxStamp: cursor },
    onPage: async (items, state) => {
      read += items.length;
      let maxStamp = state.maxStamp;
      for (const item of items) {
        if (item.lastActivityDate && (maxStamp === null || item.lastActivityDate > maxStamp)) maxStamp = item.lastActivityDate;
      }
      if (!ctx.dryRun) await ctx.store.upsert('Tickets', await mapInSlices(items, projectTicket));
      await ctx.progress({ entity: 'Tickets', read });
      return { maxStamp };
    },
  });

  let removed = 0;
  if (!ctx.dryRun) {
    if (extra.maxStamp) await ctx.store.setCursor(CURSOR, extra.maxStamp);
    removed = await ctx.store.pruneTickets(lookbackStart);
  }
  return { read, stored: ctx.dryRun ? 0 : read, removed, mode, resumed, cursor: extra.maxStamp };
}
