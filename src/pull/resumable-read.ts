/**
 * A read that survives a crash (issue 5: "a crash mid-pull resumes without loss and without re-reading
 * everything"). After each page has been handed to `onPage` (which stores it), the position is saved as a
 * checkpoint in the tenant's store; a later run with the same read `key` continues from there.
 *
 * Two shapes: a single stream paged by `id gt <last id>` (docs/autotask-api.md#paging: Autotask's own advice), or a full read
 * split into id-range partitions read concurrently through the shared governor (the client reports which
 * ranges are still open once a page is consumed).
 */
import type { EntityName, EntityRecord } from '../autotask/schemas/index.js';
import type { FilterItem, IdProfile, PartitionCursor } from '../autotask/types.js';
import type { PullContext } from './context.js';

export interface ReadCheckpoint<Extra> {
  entity: string;
  /** The interrupted read's own filter and shape: a resumed read finishes that read, whatever "now" is today. */
  filter: FilterItem[];
  partitioned: boolean;
  open: PartitionCursor[] | null;
  afterId: number | null;
  pages: number;
  extra: Extra;
}

export interface ResumableReadOptions<E extends EntityName, Extra> {
  name: string;
  entity: E;
  filter: FilterItem[];
  partitioned: boolean;
  /** Only these fields of each record (the query's IncludeFields; `id` is always added): what the caller stores. */
  includeFields?: readonly string[];
  /**
   * A partitioned read saves where its pages ended under this key, and the next one plans from it while it is
   * fresh and saved under the same key (what else shapes the result, e.g. the look-back): docs/autotask-api.md#re-read-profile.
   */
  profileKey?: string;
  /** Discard a checkpoint instead of resuming it (a forced full read). */
  restart?: boolean;
  /** State of the caller carried across a crash (e.g. the largest lastActivityDate seen so far). */
  extra: Extra;
  onPage(items: EntityRecord<E>[], extra: Extra): Promise<Extra>;
}

/** A saved profile older than this plans no read: the records created and moved since would unbalance the chains. */
export const PROFILE_MAX_AGE_MS = 86_400_000;

interface SavedProfile { key: string; savedAt: string; profile: IdProfile }

/**
 * The saved profile when it was made under `key` within PROFILE_MAX_AGE_MS of `now`, else null. It only speeds a
 * read up, so one that cannot be read (another version's shape, a damaged value) plans nothing instead of failing.
 */
async function freshProfile(ctx: PullContext, name: string, key: string): Promise<IdProfile | null> {
  const saved = await ctx.store.getReadProfile<Partial<SavedProfile>>(name).catch(() => null);
  if (!saved?.profile || saved.key !== key || typeof saved.savedAt !== 'string') return null;
  const age = ctx.now.getTime() - Date.parse(saved.savedAt);
  // Its shape is checked where it plans (rangesFromProfile).
  return age >= 0 && age <= PROFILE_MAX_AGE_MS ? saved.profile : null;
}

export async function resumableRead<E extends EntityName, Extra>(ctx: PullContext, options: ResumableReadOptions<E, Extra>):
Promise<{ resumed: boolean; pages: number; extra: Extra }> {
  const saved = options.restart ? null : await ctx.store.getCheckpoint<ReadCheckpoint<Extra>>(options.name);
  const resume = saved && saved.entity === options.entity ? saved : null;
  const filter = resume ? resume.filter : options.filter;
  const partitioned = resume ? resume.partitioned : options.partitioned;
  let extra = resume ? resume.extra : options.extra;
  let pages = resume?.pages ?? 0;
  const save = async (position: Pick<ReadCheckpoint<Extra>, 'open' | 'afterId'>): Promise<void> => {
    if (ctx.dryRun) return;
    await ctx.store.setCheckpoint(options.name, { entity: options.entity, filter, partitioned, pages, extra, ...position } satisfies ReadCheckpoint<Extra>);
  };

  const fields = options.includeFields ? { includeFields: [...options.includeFields] } : {};
  if (partitioned) {
    const { profileKey } = options;
    const profile = profileKey !== undefined && !resume ? await freshProfile(ctx, options.name, profileKey) : null;
    const iterable = ctx.client.queryPartitioned(options.entity, filter, {
      partitions: ctx.settings.partitions,
      signal: ctx.signal,
      ...fields,
      ...(resume?.open ? { resume: resume.open } : {}),
      ...(profile ? { profile } : {}),
      onCheckpoint: (open) => save({ open, afterId: null }),
      ...(profileKey !== undefined && !ctx.dryRun ? {
        onProfile: (made: IdProfile) => ctx.store.setReadProfile(options.name,
          { key: profileKey, savedAt: ctx.now.toISOString(), profile: made } satisfies SavedProfile),
      } : {}),
    });
    for await (const page of iterable) {
      // A stop request takes effect here, between two stored pages (the previous page's checkpoint was written
      // when this one was asked for): the chains read ahead, so the client may never get to throw it.
      ctx.signal.throwIfAborted();
      extra = await options.onPage(page, extra);
      pages += 1;
    }
  } else {
    const afterId = resume?.afterId ?? null;
    const from = afterId === null ? filter : [...filter, { op: 'gt' as const, field: 'id', value: afterId }];
    for await (const page of ctx.client.queryPages(options.entity, from, { signal: ctx.signal, ...fields })) {
      ctx.signal.throwIfAborted();
      extra = await options.onPage(page, extra);
      pages += 1;
      const last = page[page.length - 1];
      if (last) await save({ open: null, afterId: last.id });
    }
  }
  if (!ctx.dryRun) await ctx.store.clearCheckpoint(options.name);
  return { resumed: resume !== null, pages, extra };
}
