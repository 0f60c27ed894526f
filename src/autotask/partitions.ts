/**
 * A full read split into id ranges read concurrently (issue 2: "large pulls approach the limit set by 3
 * threads"). docs/autotask-api.md#paging: results come in ascending id order, there is no sort, a filter may hold `or`/`and`
 * groups, and an endpoint accepts 3 concurrent requests per integration.
 *
 * Cost model: every id-range "chain" of `id gt <cursor>` requests ends on one short page, so a read costs
 * 1 count + Σ full pages + one short page per chain; with 3 chains that is ≤ ceil(N/500) + 3 (one more only in
 * the degenerate case where N is a multiple of 500 and every chain ends on an empty page). A chain that
 * started cannot stop and restart elsewhere without paying a second short page — so a plan of fixed ranges
 * must be right from the first page's id density, and with real id gaps (rare large jumps: a bulk import, a
 * purge) one page is a noisy estimate: at 100,000 tickets one partition carried three times the pages of the
 * others.
 *
 * Plan: guided self-scheduling over one frontier, at no extra request.
 *   1. the first page and `query/count` go out together (two slots, one latency); a short first page ends it;
 *   2. each chain claims a block of the id range above the frontier, sized from the records still unclaimed
 *      (count − read − estimated in claimed blocks) and the id density of the latest pages, in whole pages,
 *      shrinking as the read nears its end; the last claim is the open-ended tail;
 *   3. a chain always holds its next block before its current one can run out, and asks for both in one
 *      request (`id gt c AND (id lte b OR (id gt s AND id lte t))`): the page that crosses a block's end is
 *      still full, so a block boundary costs nothing and only each chain's very last page is short.
 * A re-read given the profile of the last complete read (id-profile.ts) skips all three: its chains start at once
 * on that read's page boundaries, with no count, and end on them.
 * Correctness never depends on the estimate (the tail is open-ended and every chain pages until its ranges are
 * exhausted); a bad estimate only shifts which chain reads what. Blocks are claimed late and shrink toward the
 * end, so a misjudged block delays the finish by at most its own size (a block is never split: that would cost
 * the chain that held it a second short page). At 100,000 tickets with 100 ms latency the chains finish within
 * a page or two of each other (test/bench/pull.ts).
 *
 * Resume: `options.resume` restarts from the ranges reported by onCheckpoint (each read as its own chain).
 */
import { setMaxListeners } from 'node:events';
import { f, normalizeFilter } from './filter.js';
import { clampPageSize, idPages, parseQueryPage, queryBody, type PageReadDefaults } from './query.js';
import type { Requester } from './request.js';
import type { EntityName, EntityRecord } from './schemas/index.js';
import type { FilterItem, PartitionCursor, PartitionedQueryOptions } from './types.js';
import { profileOf, rangesFromProfile } from './id-profile.js';
import { mergePages } from './merge-pages.js';
import { validatePage as validateInSlices } from './validate.js';

/** Blocks are at most 1/(chains × SHARE) of what is unclaimed: large early (few claims), small near the end. */
const SHARE = 4;
/** A chain claims its next block when less than this many pages are left ahead of it (the page it asks for included). */
const LOW_WATER_PAGES = 2;
/** Pages whose gaps estimate the density near the frontier (recent, so a tenant whose density drifts is followed). */
const DENSITY_WINDOW = 12;
/** Bounds the `or` branches of one request. */
const MAX_RANGES_AHEAD = 3;

export interface PartitionPlan {
  /** Exclusive lower bound and inclusive upper bound; a range without upToId is the open-ended tail. */
  ranges: Array<{ afterId: number; upToId?: number }>;
}

export interface BlockInput {
  frontier: number;
  /** Records above the frontier not yet claimed by any chain (estimate from the count). */
  unclaimed: number;
  /** Records the claiming chain still has ahead of it, and all the other chains together (estimates). */
  ahead: number;
  othersAhead: number;
  /** Records per id near the frontier. */
  density: number;
  pageSize: number;
  chains: number;
}

/**
 * Pure: the next block above the frontier, in whole pages — the smaller of a share of what is unclaimed and
 * what brings the claiming chain to an even finish with the others, at least one page — or the open tail when
 * no more than half a page would be left after it.
 */
export function nextBlock(input: BlockInput): { afterId: number; upToId?: number } {
  const { pageSize } = input;
  const chains = Math.max(1, input.chains);
  const unclaimed = Math.max(0, input.unclaimed);
  const evenFinish = (unclaimed + input.ahead + input.othersAhead) / chains - input.ahead;
  const blockPages = Math.max(1, Math.round(Math.min(unclaimed / (chains * SHARE), evenFinish) / pageSize));
  if (!(input.density > 0) || unclaimed <= (blockPages + 0.5) * pageSize) return { afterId: input.frontier };
  const span = Math.max(1, Math.round((blockPages * pageSize) / input.density));
  return { afterId: input.frontier, upToId: input.frontier + span };
}

/** Pure: the first block of each partition after the first page (`rest` = count − first page). */
export function planPartitions(input: { lastId: number; rest: number; density: number; pageSize: number; partitions: number }): PartitionPlan {
  const ranges: PartitionPlan['ranges'] = [];
  let frontier = input.lastId;
  let claimed = 0;
  while (ranges.length < input.partitions) {
    const block = nextBlock({ frontier, unclaimed: input.rest - claimed, ahead: 0, othersAhead: claimed, density: input.density,
      pageSize: input.pageSize, chains: input.partitions });
    ranges.push(block);
    if (block.upToId === undefined) break;
    claimed += (block.upToId - frontier) * input.density;
    frontier = block.upToId;
  }
  return { ranges };
}

interface Range { after: number; upTo: number | null }

/** The part of a chain's ranges above `cursor`, in ascending order. */
function rangesAbove(ranges: readonly Range[], cursor: number): Range[] {
  return ranges.filter((r) => r.upTo === null || r.upTo > cursor).map((r) => ({ after: Math.max(r.after, cursor), upTo: r.upTo }));
}

/** `id gt <first>` AND (the ranges as one `or`): Autotask answers in ascending id order across them. */
function rangeFilter(open: readonly Range[]): FilterItem[] {
  const [head, ...rest] = open as [Range, ...Range[]];
  const items: FilterItem[] = [f.gt('id', head.after)];
  if (rest.length === 0) return head.upTo === null ? items : [...items, f.lte('id', head.upTo)];
  const later = rest.map((r) => (r.upTo === null ? f.gt('id', r.after) : f.and(f.gt('id', r.after), f.lte('id', r.upTo))));
  return [...items, f.or(f.lte('id', head.upTo!), ...later)];
}

/** Records per id from the gaps inside each page's ranges (a jump between two ranges is not a gap). */
class DensityWindow {
  private samples: Array<{ gaps: number; span: number }> = [];
  add(ids: readonly number[], ranges: readonly Range[]): void {
    let gaps = 0;
    let span = 0;
    for (let i = 1; i < ids.length; i += 1) {
      const a = ids[i - 1]!;
      const b = ids[i]!;
      if (ranges.some((r) => a > r.after && r.upTo !== null && a <= r.upTo && b > r.upTo)) continue;
      gaps += 1;
      span += b - a;
    }
    if (gaps === 0) return;
    this.samples.push({ gaps, span });
    if (this.samples.length > DENSITY_WINDOW) this.samples.shift();
  }
  get value(): number {
    const gaps = this.samples.reduce((s, x) => s + x.gaps, 0);
    const span = this.samples.reduce((s, x) => s + x.span, 0);
    return span > 0 ? gaps / span : 1;
  }
}

/** `ended`: the chain has read its last page (no more claims); `finished`: that page was also consumed. */
interface Chain { ranges: Range[]; read: number; consumed: number; ended: boolean; finished: boolean }

/** A chain that starts above `after`, with its ranges (none yet when it claims its first block). */
function chainFrom(after: number, ranges: Range[] = []): Chain {
  return { ranges, read: after, consumed: after, ended: false, finished: false };
}

export interface PartitionDeps {
  requester: Requester;
  defaults: PageReadDefaults;
  /** settings.threadsPerEndpoint: more partitions than slots would only queue. */
  slots: number;
  count: (filter: FilterItem[], signal: AbortSignal) => Promise<number>;
}

/** The ids of a raw page when every item has a numeric one (cheap: no validation), else null. */
function rawIds(items: readonly unknown[]): number[] | null {
  const ids: number[] = [];
  for (const item of items) {
    const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
    if (typeof id !== 'number' || !Number.isFinite(id)) return null;
    ids.push(id);
  }
  return ids;
}

function largestId(page: readonly { id: number }[], floor: number): number {
  return page.reduce((max, record) => Math.max(max, record.id), floor);
}

export async function* partitionedPages<E extends EntityName>(
  deps: PartitionDeps, entity: E, filter: FilterItem | FilterItem[], options: PartitionedQueryOptions,
): AsyncGenerator<EntityRecord<E>[]> {
  type Rec = EntityRecord<E>;
  const partitions = Math.max(1, Math.min(options.partitions ?? deps.slots, deps.slots));
  const base = normalizeFilter(filter);
  const pageSize = clampPageSize(options.pageSize, deps.defaults.pageSize);
  const controller = new AbortController();
  // Every request in flight listens on this signal (retry, transport, governor); a resumed read may run several ranges.
  setMaxListeners(64, controller.signal);
  const forward = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forward, { once: true });
  if (options.signal?.aborted) forward();
  const fetchRaw = async (items: FilterItem[]): Promise<unknown[]> => (await deps.requester.execute({ method: 'POST', endpoint: entity,
    path: `V1.0/${entity}/query`, body: queryBody(items, pageSize, options.includeFields), operation: 'read', parse: parseQueryPage,
    signal: controller.signal })).items;
  // Validated in slices, yielding to the event loop between them: a 500-record page is milliseconds of CPU, and
  // the other chains' requests (governor, HTTP) must not queue behind it — every such delay is slot time lost.
  const validatePage = async (raw: unknown[]): Promise<Rec[]> => {
    const records = await validateInSlices(entity, raw);
    options.onPage?.(records.length);
    return records;
  };
  const fixedRanges = (cursors: PartitionCursor[]) => {
    const parts = cursors.map((cursor) => ({ cursor: { ...cursor }, pages: idPages(deps.requester, entity, base, { ...options, signal: controller.signal,
      ...(cursor.afterId >= 0 ? { afterId: cursor.afterId } : {}), ...(cursor.upTo === null ? {} : { upToId: cursor.upTo }) }, deps.defaults) }));
    const open = new Set(parts.map((_, i) => i));
    return mergePages(parts.map((p) => p.pages), controller, (index, page) => {
      const cursor = parts[index]!.cursor;
      if (page === null) open.delete(index);
      else cursor.afterId = largestId(page, cursor.afterId);
      if (cursor.upTo !== null && cursor.afterId >= cursor.upTo) open.delete(index);
    }, async () => options.onCheckpoint?.([...open].map((i) => ({ ...parts[i]!.cursor }))));
  };
  let merged: AsyncGenerator<Rec[]> | null = null;
  try {
    if (options.resume) {
      // A read that stopped: only the ranges still open, each from its last stored id.
      yield* fixedRanges(options.resume);
      return;
    }
    if (partitions === 1) {
      yield* fixedRanges([{ afterId: -1, upTo: null }]);
      return;
    }
    // Every id the read returns, for the next read's profile, when the caller keeps one (a resumed read sees only
    // part of them and reports none).
    const seen: number[] | null = options.onProfile ? [] : null;
    const density = new DensityWindow();
    const chains: Chain[] = [];
    let frontier: number | null = null;
    let total = 0;
    let read = 0;
    let first: { raw: unknown[]; lastId: number } | null = null;
    // Records a chain still has to read, by the density (the open tail is never held while blocks are claimed).
    const aheadOf = (chain: Chain) => rangesAbove(chain.ranges, chain.read)
      .reduce((sum, r) => sum + (r.upTo === null ? 0 : (r.upTo - r.after) * density.value), 0);
    const claim = (chain: Chain, block: { afterId: number; upToId?: number }) => {
      chain.ranges.push({ after: block.afterId, upTo: block.upToId ?? null });
      frontier = block.upToId ?? null;
    };
    const planned = options.profile ? rangesFromProfile(options.profile, partitions, pageSize) : null;
    if (planned) {
      // A re-read: the chains start at once on the last read's page boundaries, no count and no first page to wait for.
      for (const range of planned) chains.push(chainFrom(range.afterId, [{ after: range.afterId, upTo: range.upTo }]));
    } else {
      const counting = deps.count(base, controller.signal);
      counting.catch(() => undefined);
      const firstRaw = await fetchRaw(base);
      if (firstRaw.length < pageSize) {
        const records = await validatePage(firstRaw);
        if (records.length > 0) yield records;
        await options.onCheckpoint?.([]);
        await options.onProfile?.(profileOf(records.map((r) => r.id), pageSize));
        return;
      }
      // The chains are planned from the first page's ids (no validation needed for that) and set off before the first
      // page is validated and stored: otherwise three slots idle while the consumer handles it.
      const firstIds = rawIds(firstRaw) ?? (await validatePage(firstRaw)).map((r) => r.id);
      const lastId = firstIds.reduce((max, id) => Math.max(max, id), Number.NEGATIVE_INFINITY);
      first = { raw: firstRaw, lastId };
      seen?.push(...firstIds);
      // Without a count (it failed) the read still completes, as one open-ended chain.
      total = await counting.catch(() => firstRaw.length);
      density.add(firstIds, []);
      frontier = lastId;
      read = firstRaw.length;
      for (const block of total > firstRaw.length ? planPartitions({ lastId, rest: total - firstRaw.length, density: density.value, pageSize, partitions })
        .ranges : [{ afterId: lastId }]) {
        const chain = chainFrom(block.afterId);
        chains.push(chain);
        claim(chain, block);
      }
    }
    async function* chainPages(chain: Chain): AsyncGenerator<Rec[]> {
      const request = (): Promise<unknown[]> | null => {
        // Hold the next block before the current one can run out, so the page crossing the boundary is full.
        while (frontier !== null && rangesAbove(chain.ranges, chain.read).length < MAX_RANGES_AHEAD && aheadOf(chain) < LOW_WATER_PAGES * pageSize) {
          const others = chains.filter((c) => c !== chain && !c.ended).reduce((sum, c) => sum + aheadOf(c), 0);
          const ahead = aheadOf(chain);
          claim(chain, nextBlock({ frontier, unclaimed: total - read - ahead - others, ahead, othersAhead: others, density: density.value,
            pageSize, chains: chains.filter((c) => !c.ended).length }));
        }
        const open = rangesAbove(chain.ranges, chain.read);
        return open.length === 0 ? null : fetchRaw([...base, ...rangeFilter(open)]);
      };
      let next = request();
      while (next) {
        const raw = await next;
        const ids = rawIds(raw) ?? (await validatePage(raw)).map((r) => r.id);
        read += raw.length;
        seen?.push(...ids);
        density.add(ids, chain.ranges);
        chain.read = Math.max(chain.read, ...ids);
        // The next request leaves before this page is validated and stored: parsing costs no slot time.
        next = raw.length < pageSize ? null : request();
        if (next) next.catch(() => undefined);
        else chain.ended = true;
        const records = await validatePage(raw);
        if (records.length > 0) yield records;
      }
      chain.ended = true;
    }
    merged = mergePages(chains.map(chainPages), controller, (index, page) => {
      const chain = chains[index]!;
      if (page === null) chain.finished = true;
      else chain.consumed = largestId(page, chain.consumed);
    }, async () => options.onCheckpoint?.([
      ...chains.filter((c) => !c.finished).flatMap((c) => rangesAbove(c.ranges, c.consumed).map((r) => ({ afterId: r.after, upTo: r.upTo }))),
      ...(frontier === null ? [] : [{ afterId: frontier, upTo: null }]),
    ]));
    // Asking for the merged stream's first page starts every chain's first request now.
    let next = merged.next();
    next.catch(() => undefined);
    if (first) {
      yield await validatePage(first.raw);
      await options.onCheckpoint?.([{ afterId: first.lastId, upTo: null }]);
    }
    for (let result = await next; !result.done; result = await next) {
      yield result.value;
      next = merged.next();
    }
    merged = null;
    if (seen) await options.onProfile?.(profileOf(seen, pageSize));
  } finally {
    options.signal?.removeEventListener('abort', forward);
    controller.abort(new DOMException('partitioned read finished', 'AbortError'));
    // A read that stopped early (a failure, the consumer leaving) closes the chains it set off.
    await merged?.return(undefined).catch(() => undefined);
  }
}
