/**
 * /metrics (Prometheus text). Series, by name (dashboards and alerts depend on them):
 *  - default process metrics (prom-client);
 *  - autotask_sync_jobs{queue,state}                      jobs per queue and BullMQ state, read at scrape time;
 *  - autotask_sync_job_duration_seconds{job,status}       processing time of each finished attempt in this process;
 *  - autotask_requests_total{tenant,entity,method,status} Autotask requests, from each tenant client's counters;
 *  - autotask_throttled_total{tenant}                     429 / thread-limit answers (docs/autotask-api.md#thread-limit);
 *  - autotask_retries_total{tenant}                       retried requests;
 *  - autotask_budget_used / _left / _ceiling{tenant}      this deployment's share of the hourly request budget;
 *  - autotask_slots_in_use{tenant,endpoint}               requests in flight per endpoint (max 3 per endpoint);
 *  - autotask_webhook_deactivations{tenant}               webhooks Autotask reported as deactivated.
 * Client counters are cumulative snapshots, so the counters are reset and set to the snapshot at each scrape.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../lib/logger.js';
import type { RuntimeQueues } from '../runtime/queues.js';
import type { TenantServices } from '../runtime/tenant-services.js';
import type { JobObserver } from '../runtime/worker.js';

export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

export interface RuntimeMetrics extends JobObserver {
  registry: Registry;
}

export interface MetricsDeps {
  queues: Pick<RuntimeQueues, 'jobs' | 'deadLetters'>;
  tenants: TenantServices;
  logger: Logger;
  /** Process metrics (CPU, memory, event loop); off in tests that build many servers. */
  defaultMetrics?: boolean;
  /** The clock notices' age is judged by (the services' clock). */
  now?: () => Date;
}

export function createMetrics(deps: MetricsDeps): RuntimeMetrics {
  const registry = new Registry();
  if (deps.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const warn = (error: unknown, what: string): void => deps.logger.warn({ err: error }, `metrics: could not read ${what}`);

  new Gauge({
    name: 'autotask_sync_jobs', help: 'Jobs by queue and state', labelNames: ['queue', 'state'], registers: [registry],
    async collect() {
      this.reset();
      for (const queue of [deps.queues.jobs, deps.queues.deadLetters]) {
        try {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        } catch (error) { warn(error, `queue ${queue.name}`); }
      }
    },
  });
  const durations = new Histogram({
    name: 'autotask_sync_job_duration_seconds', help: 'Processing time of finished job attempts',
    labelNames: ['job', 'status'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600], registers: [registry],
  });

  const snapshots = () => deps.tenants.all().map((h) => ({ tenant: h.tenant.id, snapshot: h.client.metrics() }));
  new Counter({
    name: 'autotask_requests_total', help: 'Autotask requests by entity, method and status',
    labelNames: ['tenant', 'entity', 'method', 'status'], registers: [registry],
    collect() {
      this.reset();
      for (const { tenant, snapshot } of snapshots()) {
        for (const r of snapshot.requests) this.inc({ tenant, entity: r.entity, method: r.method, status: r.status }, r.count);
      }
    },
  });
  new Counter({
    name: 'autotask_throttled_total', help: 'Autotask answers that were throttled (429, thread limit)', labelNames: ['tenant'], registers: [registry],
    collect() { this.reset(); for (const { tenant, snapshot } of snapshots()) this.inc({ tenant }, snapshot.throttled); },
  });
  new Counter({
    name: 'autotask_retries_total', help: 'Autotask requests retried', labelNames: ['tenant'], registers: [registry],
    collect() { this.reset(); for (const { tenant, snapshot } of snapshots()) this.inc({ tenant }, snapshot.retries); },
  });
  const budgetGauge = (name: string, help: string, pick: (b: { used: number; left: number; ceiling: number }) => number): void => {
    new Gauge({
      name, help, labelNames: ['tenant'], registers: [registry],
      collect() { this.reset(); for (const { tenant, snapshot } of snapshots()) this.set({ tenant }, pick(snapshot.budget)); },
    });
  };
  budgetGauge('autotask_budget_used', 'Requests of this deployment in the rolling hour', (b) => b.used);
  budgetGauge('autotask_budget_left', 'Requests left of this deployment\'s hourly budget', (b) => b.left);
  budgetGauge('autotask_budget_ceiling', 'This deployment\'s hourly request ceiling', (b) => b.ceiling);
  new Gauge({
    name: 'autotask_webhook_deactivations', help: 'Webhooks Autotask reported as deactivated (Deactivated notices recorded)',
    labelNames: ['tenant'], registers: [registry],
    async collect() {
      this.reset();
      for (const id of deps.tenants.ids) {
        try { this.set({ tenant: id }, (await deps.tenants.get(id).webhooks.deactivations((deps.now ?? (() => new Date()))())).length); } catch (error) { warn(error, 'webhook notices'); }
      }
    },
  });
  new Gauge({
    name: 'autotask_slots_in_use', help: 'Autotask requests in flight per endpoint', labelNames: ['tenant', 'endpoint'], registers: [registry],
    collect() {
      this.reset();
      for (const { tenant, snapshot } of snapshots()) {
        for (const [endpoint, count] of Object.entries(snapshot.slotsInUse)) this.set({ tenant, endpoint }, count);
      }
    },
  });

  return {
    registry,
    jobFinished(name, status, seconds) {
      durations.observe({ job: name, status }, seconds);
    },
  };
}
