/**
 * An Autotask webhook delivery, already verified and parsed by the route: answered once per delivery (a repeat is
 * recognised by its Guid, else by entity + id + sequence), and a ticket Create/Update queues an incremental
 * `detect-problems` for that ticket.
 */
import { enqueueJob } from '../enqueue.js';
import { enqueueDepsOf, type CommandContext } from './context.js';

export interface WebhookEvent {
  Action: 'Create' | 'Update' | 'Delete' | 'Deactivated';
  Guid?: string | undefined;
  EntityType: string;
  Id: number;
  EventTime?: string | undefined;
  SequenceNumber?: number | undefined;
}

export type WebhookOutcome = { duplicate: true } | { ignored: string } | { jobId: string };

export async function acceptTicketWebhook(ctx: CommandContext, tenantRequested: string | undefined, event: WebhookEvent): Promise<WebhookOutcome> {
  const scope = ctx.services.tenants.get(ctx.services.tenants.resolve(tenantRequested));
  const deliveryId = (event.Guid ?? `${event.EntityType}-${event.Id}-${event.SequenceNumber ?? event.EventTime ?? 'x'}`)
    .replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 120);
  if (!(await scope.webhooks.firstSeen(deliveryId))) return { duplicate: true };
  const isTicket = /^tickets?$/i.test(event.EntityType);
  if (!isTicket || (event.Action !== 'Create' && event.Action !== 'Update')) return { ignored: `${event.EntityType} ${event.Action}` };
  const job = await enqueueJob(enqueueDepsOf(ctx), { name: 'detect-problems', tenant: scope.tenant.id, data: { ticketId: event.Id } });
  return { jobId: job.jobId };
}
