/** What every runtime command works with: the process's services, the queues and the job registry. */
import type { JobRegistry } from '../../../jobs/registry.js';
import type { EnqueueDeps } from '../enqueue.js';
import type { RuntimeQueues } from '../queues.js';
import type { RuntimeServices } from '../services.js';

export interface CommandContext {
  services: RuntimeServices;
  queues: RuntimeQueues;
  registry: JobRegistry;
}

/** The one place EnqueueDeps is built from a command context. */
export function enqueueDepsOf(ctx: CommandContext): EnqueueDeps {
  return { config: ctx.services.config, queues: ctx.queues, registry: ctx.registry, tenants: ctx.services.tenants };
}
