/**
 * Pull the open billing items (issue 5): approved-and-posted items (a BillingItem exists only once posted) that
 * are neither invoiced (`invoiceID` null, or 0 as real tenants answer — docs/autotask-samples.md) nor exported
 * (`webServiceDate` null).
 *
 * BillingItems have no last-modified field (docs/autotask-api.md#billing-items), so an item's leaving the open set (invoiced in the UI,
 * exported by another integration, un-posted) is only seen by reading it again. Rather than one query for new
 * items (`id gt <highest seen>`) plus batched `id in (…)` re-checks of every open item, one query re-reads the
 * open set from its lowest stored id upwards: it returns every item still open (refreshed) and every new one,
 * and a stored id it does not return has left. Same coverage, one request fewer per run; with ≤ 500 open items an
 * unchanged tenant costs a single request.
 */
import type { FilterItem } from '../autotask/types.js';
import { mapInSlices } from '../lib/slices.js';
import { PULLED_FIELDS, projectBillingItem } from '../store/projections.js';
import { recordPullStatus } from '../store/pull-status.js';
import type { PullContext, PullResult } from './context.js';
import { resumableRead } from './resumable-read.js';

const CURSOR = 'billingItems.highestId';

export async function pullBillingItems(ctx: PullContext, options: { full?: boolean } = {}): Promise<PullResult> {
  const storedIds = options.full ? [] : await ctx.store.ids('BillingItems');
  const highest = options.full ? null : await ctx.store.getCursor(CURSOR);
  const open: FilterItem[] = [
    // Real tenants write 0 for "on no invoice" (rules/invoice-item-fields.ts isInvoiced), so both are open.
    { op: 'or', items: [{ op: 'notExist', field: 'invoiceID' }, { op: 'eq', field: 'invoiceID', value: 0 }] },
    { op: 'notExist', field: 'webServiceDate' },
  ];
  // From the lowest open id we hold; with nothing open, only what is newer than anything seen.
  // (Until a first read completes there is no cursor, and a crashed first read resumes with the same filter.)
  const lowest = highest === null ? undefined : storedIds[0];
  const from: FilterItem[] = lowest !== undefined ? [{ op: 'gte', field: 'id', value: lowest }]
    : highest !== null ? [{ op: 'gt', field: 'id', value: Number(highest) }] : [];
  const mode = highest === null ? 'full' : 'incremental';

  // Until this read reaches its end the store may hold part of the open set: the invoice run refuses to build
  // from it (src/store/pull-status.ts).
  const startedAt = ctx.now.toISOString();
  if (!ctx.dryRun) await recordPullStatus(ctx.store, 'BillingItems', { state: 'running', startedAt });

  let read = 0;
  const seen = new Set<number>();
  const setAside: Array<{ id: number; reason: string }> = [];
  const { resumed, extra } = await resumableRead(ctx, {
    name: 'billingItems', entity: 'BillingItems', filter: [...open, ...from], partitioned: mode === 'full', restart: options.full,
    includeFields: PULLED_FIELDS.BillingItems,
    extra: { highest: highest === null ? 0 : Number(highest) },
    onPage: async (items, state) => {
      read += items.length;
      let top = state.highest;
      for (const item of items) {
        seen.add(item.id);
        if (item.id > top) top = item.id;
        if (item.unreadable !== null) setAside.push({ id: item.id, reason: item.unreadable });
      }
      if (!ctx.dryRun) await ctx.store.upsert('BillingItems', await mapInSlices(items, projectBillingItem));
      await ctx.progress({ entity: 'BillingItems', read });
      return { highest: top };
    },
  });

  let removed = 0;
  if (!ctx.dryRun) {
    // Only a read that ran from its start has seen the whole open set; a resumed one leaves removal to the next run.
    if (!resumed) {
      const left = (options.full ? await ctx.store.ids('BillingItems') : storedIds).filter((id) => !seen.has(id));
      removed = await ctx.store.remove('BillingItems', left);
    }
    if (extra.highest > 0) await ctx.store.setCursor(CURSOR, String(extra.highest));
    await recordPullStatus(ctx.store, 'BillingItems', { state: 'complete', startedAt });
  }
  if (setAside.length > 0) {
    ctx.logger.warn({ billingItemIDs: setAside.map((s) => s.id) }, `${setAside.length} billing item(s) set aside: ` +
      setAside.slice(0, 20).map((s) => `${s.id} ${s.reason}`).join('; '));
  }
  return { read, stored: ctx.dryRun ? 0 : read, removed, mode, resumed, cursor: String(extra.highest), setAside };
}
