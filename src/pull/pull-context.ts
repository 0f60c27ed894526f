/** Builds a PullContext from a job's context: the tenant's store on the shared Redis, the pull settings. */
import type { JobContext } from '../../jobs/define-job.js';
import { EntityStore } from '../store/entity-store.js';
import type { PullContext } from './context.js';

export function pullContextOf(ctx: JobContext<unknown>): PullContext {
  return {
    client: ctx.client,
    store: new EntityStore(ctx.redis, ctx.keyPrefix, ctx.tenant.id),
    settings: ctx.config.pull,
    now: ctx.now(),
    signal: ctx.signal,
    logger: ctx.logger,
    dryRun: ctx.dryRun,
    progress: (value) => ctx.progress(value),
  };
}
