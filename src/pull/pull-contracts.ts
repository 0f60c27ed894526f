/**
 * Pull contracts into the store (issue 5): every active contract and those ended within the look-back (late
 * billing items still reference them). Incremental by lastModifiedDateTime when the tenant's Contracts entity
 * has it (read once from the field metadata and remembered), else a full re-read; `full` forces one. A full read
 * also drops stored contracts that no longer qualify; an incremental one re-judges each changed contract.
 */
import type { Contract } from '../autotask/schemas/index.js';
import type { FilterItem } from '../autotask/types.js';
import { toAutotaskDateTime } from '../lib/time.js';
import { projectContract } from '../store/projections.js';
import type { PullContext, PullResult } from './context.js';
import { resumableRead } from './resumable-read.js';

const CURSOR = 'contracts.lastModifiedDateTime';
const CAPABILITY = 'contracts.incremental';
const DAY = 86_400_000;

async function supportsIncremental(ctx: PullContext): Promise<boolean> {
  const known = await ctx.store.getCursor(CAPABILITY);
  if (known !== null) return known === 'yes';
  const fields = await ctx.client.fields('Contracts');
  const field = fields.find((f) => f.name.toLowerCase() === 'lastmodifieddatetime');
  const yes = field !== undefined && field.isQueryable;
  if (!ctx.dryRun) await ctx.store.setCursor(CAPABILITY, yes ? 'yes' : 'no');
  return yes;
}

export async function pullContracts(ctx: PullContext, options: { full?: boolean } = {}): Promise<PullResult> {
  const endedSince = toAutotaskDateTime(new Date(ctx.now.getTime() - ctx.settings.contractsLookbackDays * DAY));
  const qualifies = (c: Contract): boolean => c.status === 1 || (c.endDate !== null && c.endDate >= endedSince);
  const qualifying: FilterItem = { op: 'or', items: [{ op: 'eq', field: 'status', value: 1 }, { op: 'gte', field: 'endDate', value: endedSince }] };

  const incremental = !options.full && (await supportsIncremental(ctx));
  const cursor = incremental ? await ctx.store.getCursor(CURSOR) : null;
  const mode = cursor === null ? 'full' : 'incremental';
  const since = cursor === null ? null : toAutotaskDateTime(new Date(Date.parse(cursor) - ctx.settings.overlapMinutes * 60_000));
  // Incremental: every contract changed since the cursor, qualifying or not, so one that ended long ago leaves.
  const filter: FilterItem[] = since === null ? [qualifying] : [{ op: 'gte', field: 'lastModifiedDateTime', value: since }];

  let read = 0;
  let removed = 0;
  const seen = new Set<number>();
  const { resumed, extra } = await resumableRead(ctx, {
    name: 'contracts', entity: 'Contracts', filter, partitioned: false, restart: options.full,
    extra: { maxStamp: cursor },
    onPage: async (items, state) => {
      read += items.length;
      let maxStamp = state.maxStamp;
      const keep = items.filter(qualifies);
      const drop = items.filter((c) => !qualifies(c)).map((c) => c.id);
      for (const item of items) {
        seen.add(item.id);
        if (item.lastModifiedDateTime && (maxStamp === null || item.lastModifiedDateTime > maxStamp)) maxStamp = item.lastModifiedDateTime;
      }
      if (!ctx.dryRun) {
        await ctx.store.upsert('Contracts', keep.map(projectContract));
        removed += await ctx.store.remove('Contracts', drop);
      }
      await ctx.progress({ entity: 'Contracts', read });
      return { maxStamp };
    },
  });

  if (!ctx.dryRun) {
    // A full read from the start has seen every qualifying contract: the rest no longer qualify.
    if (mode === 'full' && !resumed) {
      const stale = (await ctx.store.ids('Contracts')).filter((id) => !seen.has(id));
      removed += await ctx.store.remove('Contracts', stale);
    }
    if (incremental && extra.maxStamp) await ctx.store.setCursor(CURSOR, extra.maxStamp);
  }
  return { read, stored: ctx.dryRun ? 0 : read - removed, removed, mode, resumed, cursor: extra.maxStamp };
}
