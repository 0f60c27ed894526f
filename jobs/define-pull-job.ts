/** The three pull jobs differ only in what they pull; this is their shared shape (data `{full}`, summary, counts). */
import { z } from 'zod';
import type { PullContext, PullResult } from '../src/pull/context.js';
import type { JobName } from '../src/lib/job-names.js';
import type { StoredEntityName } from '../src/store/entity-store.js';
import { defineJob, type JobContext } from './define-job.js';

/** A pull's view of its job: the tenant's client and entity store, the pull settings, the job's clock and signal. */
function pullContextOf(ctx: JobContext<unknown>): PullContext {
  return {
    client: ctx.scope.client,
    store: ctx.scope.entities,
    settings: ctx.config.pull,
    now: ctx.now(),
    signal: ctx.signal,
    logger: ctx.logger,
    dryRun: ctx.dryRun,
    progress: (value) => ctx.progress(value),
  };
}

/** Records per query page (docs/autotask-api.md#paging). */
const PAGE = 500;

export function definePullJob(name: JobName, entity: StoredEntityName, pull: (ctx: PullContext, options: { full: boolean }) => Promise<PullResult>) {
  return defineJob({
    name,
    description: `Pull ${entity} into the store (incremental; data {"full":true} re-reads everything)`,
    schema: z.strictObject({ full: z.boolean().default(false) }),
    // Pulls only read Autotask; they write to this deployment's store, never to the tenant.
    writesToTenant: false,
    syncAllStage: 'parallel',
    async handler(ctx) {
      // A full re-read, and every billing-item run (it re-reads the open set), costs about one query per 500 stored
      // records: a run that will not fit in the hour's budget says so in its progress before it starts waiting.
      if (ctx.data.full || entity === 'BillingItems') await ctx.planRequests(Math.ceil((await ctx.scope.entities.count(entity)) / PAGE) + 1);
      const result = await pull(pullContextOf(ctx), { full: ctx.data.full });
      const how = `${result.mode}${result.resumed ? ', resumed' : ''}`;
      const stored = ctx.dryRun ? `would store ${result.read}` : `stored ${result.stored}, removed ${result.removed}`;
      const setAside = result.setAside ?? [];
      return {
        summary: `${entity}: read ${result.read} (${how}), ${stored}` +
          (setAside.length > 0 ? `; ${setAside.length} set aside (a field cannot be read exactly; they are not invoiced)` : ''),
        counts: { read: result.read, stored: result.stored, removed: result.removed, ...(result.setAside ? { setAside: setAside.length } : {}) },
        ...(setAside.length > 0 ? { setAside } : {}),
        mode: result.mode,
        resumed: result.resumed,
        cursor: result.cursor,
      };
    },
  });
}
