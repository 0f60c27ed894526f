/**
 * `autotask-sync run <job>`: one job to completion in this process, through the same executeJob as the worker —
 * under the tenant's lease when it writes, and a flow (sync-all) as its stages in order.
 */
import type { JobResult } from '../../../jobs/define-job.js';
import type { JobRegistry } from '../../../jobs/registry.js';
import { UnknownJobError } from '../enqueue.js';
import { executeExclusive } from '../exclusive.js';
import type { ExecuteOptions } from '../execute-job.js';
import { adoptUpgradedTenants } from '../first-run.js';
import { runFlowInProcess } from '../flows.js';
import type { RuntimeServices } from '../services.js';

export interface RunJobRequest extends ExecuteOptions {
  name: string;
  tenant?: string | undefined;
  data: Record<string, unknown>;
}

/** `onTenant` learns the tenant as soon as it is resolved, so a failure later can still name it. */
export async function runJob(ctx: { services: RuntimeServices; registry: JobRegistry }, request: RunJobRequest,
  onTenant: (tenant: string) => void = () => undefined): Promise<{ tenant: string; result: JobResult }> {
  const { services, registry } = ctx;
  const definition = registry.jobs.get(request.name);
  if (!definition) throw new UnknownJobError(request.name, [...registry.jobs.keys()]);
  const tenant = services.tenants.resolve(request.tenant);
  onTenant(tenant);
  // Before anything is written, as at a worker's start (docs/first-run.md#upgrading): otherwise an operator's `run`
  // on a brand-new install, before any worker started, would fill the write ledgers and the first worker would
  // take them for an earlier version's writes, confirming the tenant "by upgrade" without anyone's review.
  await adoptUpgradedTenants({ ids: [tenant], get: (id) => services.tenants.get(id) }, services.now(), services.logger.child({ component: 'first-run' }));
  const options: ExecuteOptions = { dryRun: request.dryRun, signal: request.signal, jobId: request.jobId, progress: request.progress };
  const plan = registry.flows.get(request.name);
  const result = plan
    ? await runFlowInProcess(request.name, definition, plan, { tenant, data: request.data }, registry, services, options)
    : await executeExclusive(definition, { tenant, data: request.data }, services, options);
  return { tenant, result };
}
