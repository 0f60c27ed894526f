/**
 * The runtime's commands: the only way HTTP routes and CLI commands reach the queues, the tenants' stores and
 * Autotask. A route or CLI command parses its input, calls one of these, and turns the answer into a response.
 */
import type { JobRegistry } from '../../../jobs/registry.js';
import type { RuntimeServices } from '../services.js';
import type { CommandContext } from './context.js';
import { listInvoices, type InvoiceListing } from './invoices.js';
import { createJobCommands, type JobCommands } from './jobs.js';
import { createReadiness, type ReadinessOptions, type ReadinessReport, type StartupState } from './readiness.js';
import { runJob, type RunJobRequest } from './run-job.js';
import { createStopwatchCommands, type StopwatchCommands } from './stopwatches.js';
import { acceptTicketWebhook, type WebhookEvent, type WebhookOutcome } from './webhooks.js';
import type { JobResult } from '../../../jobs/define-job.js';

export type { CommandContext } from './context.js';
export type { JobStatus } from './jobs.js';
export type { ReadinessOptions, ReadinessReport } from './readiness.js';
export type { StopwatchAnswer, StopwatchRefused, StopwatchView } from './stopwatches.js';
export type { WebhookEvent, WebhookOutcome } from './webhooks.js';
export type { InvoiceListing } from './invoices.js';
export type { RunJobRequest } from './run-job.js';

export interface RuntimeCommands extends JobCommands, StopwatchCommands {
  listInvoices(request: { tenant?: string | undefined; status?: 'draft' | 'delivered' | undefined }): Promise<InvoiceListing>;
  acceptTicketWebhook(tenant: string | undefined, event: WebhookEvent): Promise<WebhookOutcome>;
  readiness(): Promise<ReadinessReport>;
}

export function createCommands(ctx: CommandContext, options: { readiness?: ReadinessOptions; startup?: StartupState } = {}): RuntimeCommands {
  const readiness = createReadiness(ctx.services.redis, ctx.services.tenants, options.readiness, options.startup);
  return {
    ...createJobCommands(ctx),
    ...createStopwatchCommands(ctx),
    listInvoices: (request) => listInvoices(ctx, request),
    acceptTicketWebhook: (tenant, event) => acceptTicketWebhook(ctx, tenant, event),
    readiness: () => readiness.check(),
  };
}

/** `run <job>` needs no queues: the in-process run command. */
export function runJobInProcess(ctx: { services: RuntimeServices; registry: JobRegistry }, request: RunJobRequest,
  onTenant?: (tenant: string) => void): Promise<{ tenant: string; result: JobResult }> {
  return runJob(ctx, request, onTenant);
}
