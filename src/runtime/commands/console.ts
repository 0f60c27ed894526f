/**
 * Commands only the web console needs (src/http/console/): who the tenants are and where each stands in first-run
 * mode, confirming one (the same store call as `autotask-sync confirm`), the recent runs of the jobs queue, and
 * discarding a dead letter a person decided not to run again.
 */
import type { Job } from 'bullmq';
import { historyTotals, type HourUsage } from '../../autotask/index.js';
import { ticketDetailUrl } from '../../autotask/web-links.js';
import { errorMessage } from '../../lib/errors.js';
import { DeadLetterNotFoundError } from '../dead-letter.js';
import { confirmTenant, firstRunStates, type FirstRunState } from '../first-run.js';
import type { QueuedJobData } from '../queues.js';
import type { CommandContext } from './context.js';

export interface RecentRun {
  id: string;
  name: string;
  tenant: string;
  outcome: 'completed' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  summary: string;
  /** sync-all only: the stages that failed for good (the runtime fills `data.failures`). */
  failedStages: string[];
}

/** A run not finished yet: running, waiting in the queue, or delayed (waiting for budget, say). */
export interface ActiveRun {
  id: string;
  name: string;
  tenant: string;
  state: 'active' | 'waiting' | 'delayed';
  /** When a delayed run goes on. */
  resumesAt: string | null;
  /** Its budget note (issue 17 item 4, docs/request-cost.md): set when it needs more than the hour has left. */
  budget: { needed: number | null; left: number | null; spreadsUntil: string | null; waitingUntil: string | null } | null;
}

/** A ticket as the console lists it: number and title from the pulled tickets, and its page in Autotask. */
export interface TicketRef {
  id: number;
  /** null when the ticket is not among the pulled tickets (yet). */
  ticketNumber: string | null;
  title: string | null;
  /** null when the tenant's web host is unknown (zone discovery failed). */
  url: string | null;
}

export type UsageTotals = Omit<HourUsage, 'hour'>;

/** A tenant's Autotask budget and throttling as the overview shows it (every process counts into the same figures). */
export interface TenantUsage {
  tenant: string;
  /** The rolling hour: used (ours and other integrations'), our ceiling, what is left; null when it could not be read. */
  budget: { used: number; ceiling: number; left: number; threshold: number | null } | null;
  /** One entry per hour of the last 24 h and the current one, oldest first; empty without a governor. */
  hours: HourUsage[];
  thisHour: UsageTotals;
  last24h: UsageTotals;
  /** Why a figure is missing (Redis unreachable…), else null. */
  error: string | null;
}

export interface ConsoleCommands {
  tenantIds(): readonly string[];
  firstRunStates(): Promise<FirstRunState[]>;
  confirmFirstRun(request: { tenant: string; by: string }): Promise<FirstRunState>;
  /** The newest finished jobs (completed and failed), newest first. */
  recentRuns(limit?: number): Promise<RecentRun[]>;
  /** Runs not finished yet (running, waiting, delayed), running first, with their budget notes. */
  activeRuns(limit?: number): Promise<ActiveRun[]>;
  /** The next run of each schedule (job, tenant, when), soonest first. */
  nextRuns(): Promise<Array<{ job: string; tenant: string; next: string | null }>>;
  /** Budget used and left this hour, the hourly history of 24 h, throttled requests (no Autotask request). */
  tenantUsage(tenant: string): Promise<TenantUsage>;
  /** The tickets of `ids` with number, title and Autotask link, in the order asked; no Autotask request beyond zone discovery. */
  ticketRefs(request: { tenant: string; ids: readonly number[] }): Promise<TicketRef[]>;
  /** Drops a dead letter without running it; DEAD_LETTER_NOT_FOUND when it is gone already. */
  discardDeadLetter(id: string): Promise<void>;
}

function summaryOf(job: Job<QueuedJobData>, failed: boolean): string {
  if (failed) return job.failedReason ?? 'failed';
  const value = job.returnvalue as { summary?: unknown } | null | undefined;
  return typeof value?.summary === 'string' ? value.summary : '';
}

function failedStagesOf(job: Job<QueuedJobData>): string[] {
  const failures = (job.data?.data as { failures?: unknown } | undefined)?.failures;
  if (!Array.isArray(failures)) return [];
  return failures.map((f) => (typeof f === 'object' && f && 'job' in f ? String((f as { job: unknown }).job) : '')).filter(Boolean);
}

function budgetOf(progress: unknown): ActiveRun['budget'] {
  const budget = typeof progress === 'object' && progress !== null ? (progress as { budget?: unknown }).budget : undefined;
  if (typeof budget !== 'object' || budget === null) return null;
  const b = budget as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return { needed: num(b.needed), left: num(b.left), spreadsUntil: str(b.spreadsUntil), waitingUntil: str(b.waitingUntil) };
}

export function createConsoleCommands(ctx: CommandContext): ConsoleCommands {
  const { tenants } = ctx.services;
  return {
    tenantIds: () => tenants.ids,
    firstRunStates: () => firstRunStates(tenants),
    confirmFirstRun: ({ tenant, by }) => confirmTenant(tenants, tenant, by, ctx.services.now()),
    async recentRuns(limit = 50) {
      const runs: RecentRun[] = [];
      for (const outcome of ['completed', 'failed'] as const) {
        const jobs = await ctx.queues.jobs.getJobs([outcome], 0, limit - 1, false);
        for (const job of jobs) {
          if (!job) continue;
          runs.push({
            id: job.id ?? '', name: job.name, tenant: job.data?.tenant ?? 'unknown', outcome,
            startedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
            finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
            durationMs: job.processedOn && job.finishedOn ? job.finishedOn - job.processedOn : null,
            summary: summaryOf(job, outcome === 'failed'),
            failedStages: failedStagesOf(job),
          });
        }
      }
      return runs.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? '')).slice(0, limit);
    },
    async activeRuns(limit = 100) {
      const runs: ActiveRun[] = [];
      for (const state of ['active', 'waiting', 'delayed'] as const) {
        for (const job of await ctx.queues.jobs.getJobs([state], 0, limit - 1, true)) {
          if (!job) continue;
          runs.push({ id: job.id ?? '', name: job.name, tenant: job.data?.tenant ?? 'unknown', state,
            resumesAt: state === 'delayed' && job.delay ? new Date(job.timestamp + job.delay).toISOString() : null,
            budget: budgetOf(job.progress) });
        }
      }
      return runs.slice(0, limit);
    },
    async nextRuns() {
      const schedulers = await ctx.queues.jobs.getJobSchedulers(0, -1);
      return schedulers.map((s) => {
        const data = s.template?.data as Partial<QueuedJobData> | undefined;
        return { job: s.name, tenant: data?.tenant ?? 'unknown', next: s.next ? new Date(s.next).toISOString() : null };
      }).sort((a, b) => (a.next ?? '').localeCompare(b.next ?? ''));
    },
    async tenantUsage(tenant) {
      const scope = tenants.get(tenants.resolve(tenant));
      const [budget, hours] = await Promise.allSettled([scope.client.budget(), scope.client.usageHistory()]);
      const list = hours.status === 'fulfilled' ? hours.value ?? [] : [];
      const failed = [budget, hours].find((r): r is PromiseRejectedResult => r.status === 'rejected');
      return { tenant: scope.tenant.id, budget: budget.status === 'fulfilled' ? budget.value : null, hours: list,
        thisHour: historyTotals(list.slice(-1)), last24h: historyTotals(list), error: failed ? errorMessage(failed.reason) : null };
    },
    async ticketRefs({ tenant, ids }) {
      const scope = tenants.get(tenants.resolve(tenant));
      const unique = [...new Set(ids)];
      // The web root needs the zone: when discovery fails (Autotask unreachable) the page still lists the tickets, unlinked.
      const [stored, webRoot] = await Promise.all([scope.entities.getMany('Tickets', unique), scope.client.webRoot().catch(() => null)]);
      return ids.map((id) => {
        const ticket = stored.get(id);
        return { id, ticketNumber: ticket?.ticketNumber ?? null, title: ticket?.title ?? null, url: webRoot === null ? null : ticketDetailUrl(webRoot, id) };
      });
    },
    async discardDeadLetter(id) {
      const letter = await ctx.queues.deadLetters.getJob(id);
      if (!letter) throw new DeadLetterNotFoundError(id);
      await letter.remove();
    },
  };
}
