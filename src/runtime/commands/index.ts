/**
 * The runtime's commands: the only way HTTP routes and CLI commands reach the queues, the tenants' stores and
 * Autotask. A route or CLI command parses its input, calls one of these, and turns the answer into a response.
 */
import { createConsoleCommands, type ConsoleCommands } from './console.js';
import type { CommandContext } from './context.js';
import { decideInvoice, listInvoices, type InvoiceCommands } from './invoices.js';
import { createDetectionTuningCommands, type DetectionTuningCommands } from './detection-tuning.js';
import { createJobCommands, type JobCommands } from './jobs.js';
import { createReadiness, type ReadinessOptions, type ReadinessReport, type StartupState } from './readiness.js';
import { createProblemSuggestionCommands, type ProblemSuggestionCommands } from './problem-suggestions.js';
import { createStopwatchCommands, type StopwatchCommands } from './stopwatches.js';
import { acceptTicketWebhook, type WebhookOutcome, type WebhookRequest } from './webhooks.js';

export type { CommandContext } from './context.js';
export type { JobStatus } from './jobs.js';
export type { ReadinessOptions, ReadinessReport } from './readiness.js';
export type { StopwatchAnswer, StopwatchRefused, StopwatchView } from './stopwatches.js';
export type { WebhookEvent, WebhookOutcome, WebhookRequest } from './webhooks.js';
export type { InvoiceDecisionAnswer, InvoiceListing } from './invoices.js';
export type { ActiveRun, RecentRun, TenantUsage, TicketRef, UsageTotals } from './console.js';
export type { HourUsage } from '../../autotask/index.js';
export type { FirstRunState } from '../first-run.js';
export type { SuggestionAnswer, SuggestionView } from './problem-suggestions.js';
export type { DetectionTuningView } from './detection-tuning.js';
/** `run <job>` needs no queues: it takes services and the registry only. */
export { runJob as runJobInProcess, type RunJobRequest } from './run-job.js';

export interface RuntimeCommands extends JobCommands, StopwatchCommands, ProblemSuggestionCommands, DetectionTuningCommands, ConsoleCommands,
  InvoiceCommands {
  acceptTicketWebhook(request: WebhookRequest): Promise<WebhookOutcome>;
  readiness(): Promise<ReadinessReport>;
}

export function createCommands(ctx: CommandContext, options: { readiness?: ReadinessOptions; startup?: StartupState } = {}): RuntimeCommands {
  const readiness = createReadiness(ctx.services.redis, ctx.services.tenants, options.readiness, options.startup, ctx.services.now);
  return {
    ...createJobCommands(ctx),
    ...createStopwatchCommands(ctx),
    ...createProblemSuggestionCommands(ctx),
    ...createDetectionTuningCommands(ctx),
    ...createConsoleCommands(ctx),
    listInvoices: (request) => listInvoices(ctx, request),
    decideInvoice: (request) => decideInvoice(ctx, request),
    acceptTicketWebhook: (request) => acceptTicketWebhook(ctx, request),
    readiness: () => readiness.check(),
  };
}
