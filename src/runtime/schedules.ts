/**
 * SYNC_CONFIG `schedules` → BullMQ job schedulers. Every worker runs this at start; it is idempotent and safe
 * to run from several processes at once because scheduler ids are deterministic (`cfg:<tenant>:<job>`, plus a
 * hash of the data when the schedule carries data): three workers upserting the same id leave one scheduler,
 * and BullMQ derives each iteration's job id from the scheduler id and its time, so no iteration is doubled.
 * Schedulers under our `cfg:` namespace that the config no longer declares are removed.
 */
import type { Queue } from 'bullmq';
import type { AppConfig } from '../../config/schema.js';
import type { JobRegistry } from '../../jobs/registry.js';
import { ConfigError, InputError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { parseFlowData } from './flows.js';
import { deduplicationId, parseJobData } from './job-data.js';
import { jobOptions, type QueuedJobData } from './queues.js';

export const SCHEDULER_NAMESPACE = 'cfg:';

type ScheduleEntry = AppConfig['schedules'][number];

/** A schedule of one tenant: entries without a tenant apply to every configured tenant (README "Schedules"). */
type TenantSchedule = ScheduleEntry & { tenant: string };

export interface DesiredSchedule {
  id: string;
  entry: TenantSchedule;
}

export function schedulerId(entry: TenantSchedule): string {
  const base = `${SCHEDULER_NAMESPACE}${entry.tenant}:${entry.job}`;
  if (Object.keys(entry.data).length === 0) return base;
  return `${base}:${deduplicationId(entry.job, entry.tenant, entry.data).split(':').at(-1)!.slice(0, 12)}`;
}

/** Checks every schedule against the registry, the tenants and the job's schema; one ConfigError naming each. */
export function desiredSchedules(config: Pick<AppConfig, 'schedules'>, registry: JobRegistry,
  tenantIds: readonly string[]): DesiredSchedule[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const out: DesiredSchedule[] = [];
  for (const [index, entry] of config.schedules.entries()) {
    const at = `SYNC_CONFIG schedules.${index}`;
    const definition = registry.jobs.get(entry.job);
    if (!definition) { problems.push(`${at}.job: no handler is registered for "${entry.job}"`); continue; }
    const plan = registry.flows.get(entry.job);
    const missing = plan ? [...plan.parallel, ...plan.chain].filter((stage) => !registry.jobs.has(stage)) : [];
    if (missing.length > 0) { problems.push(`${at}.job: "${entry.job}" needs handlers for ${missing.join(', ')}`); continue; }
    if (entry.tenant !== undefined && !tenantIds.includes(entry.tenant)) {
      problems.push(`${at}.tenant: no tenant "${entry.tenant}" is configured`);
      continue;
    }
    try {
      if (plan) parseFlowData(definition, plan, registry, entry.data);
      else parseJobData(definition, entry.data);
    } catch (error) {
      problems.push(`${at}.${error instanceof InputError ? error.message.replace(`${entry.job} `, '') : String(error)}`);
      continue;
    }
    for (const tenant of entry.tenant !== undefined ? [entry.tenant] : tenantIds) {
      const perTenant: TenantSchedule = { ...entry, tenant };
      const id = schedulerId(perTenant);
      const earlier = seen.get(id);
      if (earlier !== undefined) { problems.push(`${at}: same job, tenant (${tenant}) and data as schedules.${earlier}`); continue; }
      seen.set(id, index);
      out.push({ id, entry: perTenant });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

export async function syncSchedules(queue: Queue<QueuedJobData>, config: Pick<AppConfig, 'schedules' | 'queue'>,
  registry: JobRegistry, tenantIds: readonly string[], logger: Logger): Promise<{ upserted: string[]; removed: string[] }> {
  const desired = desiredSchedules(config, registry, tenantIds);
  for (const { id, entry } of desired) {
    const repeat = entry.cron !== undefined
      ? { pattern: entry.cron, tz: entry.tz }
      : { every: (entry.everyMinutes ?? 60) * 60_000 };
    await queue.upsertJobScheduler(id, repeat, {
      name: entry.job,
      data: { tenant: entry.tenant, data: entry.data },
      opts: jobOptions(config),
    });
  }
  const wanted = new Set(desired.map((d) => d.id));
  const removed: string[] = [];
  const existing = await queue.getJobSchedulers(0, -1);
  for (const scheduler of existing) {
    const id = scheduler.id ?? scheduler.key;
    if (!id.startsWith(SCHEDULER_NAMESPACE) || wanted.has(id)) continue;
    await queue.removeJobScheduler(id);
    removed.push(id);
  }
  logger.info({ schedules: [...wanted], removed }, `schedules in place: ${wanted.size}, removed: ${removed.length}`);
  return { upserted: [...wanted], removed };
}
