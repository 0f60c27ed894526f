/**
 * acceptTicketWebhook: an Autotask webhook callout as the route received it (tenant, raw bytes, signature header).
 * Autotask waits 10 s, retries after 30 s, drops after 5 tries and disables a webhook after 25 failures in a row,
 * so this answers fast and queues the work (docs/autotask-samples.md, "Webhooks"):
 *  1. the tenant is the one `?tenant=` names (else the default), and the X-Hook-Signature is checked with THAT
 *     tenant's own secret — the query string is outside the signature — over the raw bytes, then Autotask's escaped
 *     form of them;
 *  2. the payload is parsed and checked; its EventTime bounds replays; a delivery seen before (Guid + entity + Id +
 *     SequenceNumber: the Guid alone names the webhook, src/rules/webhook-delivery.ts) is answered 200, not queued;
 *     A first-seen signed delivery clears its webhook's Deactivated notice (it was re-activated);
 *  3. a ticket Create/Update queues an incremental `detect-problems` for that ticket and answers 202.
 */
import { z } from 'zod';
import { verifyHookSignature } from '../../lib/hook-signature.js';
import { formatZodIssueList } from '../../lib/zod-issues.js';
import { deliveryIdentity, judgeEventTime, WEBHOOK_SEEN_TTL_SECONDS } from '../../rules/webhook-delivery.js';
import { enqueueJob } from '../enqueue.js';
import { enqueueDepsOf, type CommandContext } from './context.js';

/** The webhook payload as this worker accepts it (exported for the contract test of the samples). */
export const webhookPayloadSchema = z.looseObject({
  Action: z.enum(['Create', 'Update', 'Delete', 'Deactivated']),
  Guid: z.string().max(100).optional(),
  EntityType: z.string().min(1).max(64),
  Id: z.number().int().positive(),
  Fields: z.record(z.string(), z.unknown()).optional(),
  EventTime: z.string().max(40).optional(),
  SequenceNumber: z.number().int().nonnegative().optional(),
  // Autotask documents PersonID; other clients' payloads spell it PersonId (docs/autotask-samples.md).
  PersonID: z.number().int().nullable().optional(),
  PersonId: z.number().int().nullable().optional(),
});
export type WebhookEvent = z.infer<typeof webhookPayloadSchema>;

export interface WebhookRequest {
  /** `?tenant=`; undefined = the default tenant. */
  tenant: string | undefined;
  rawBody: Buffer;
  signature: string | undefined;
}

/** The HTTP status and body to answer with. */
export interface WebhookOutcome {
  status: number;
  body: Record<string, unknown>;
}

const deactivationSchema = z.looseObject({
  Action: z.literal('Deactivated'),
  Guid: z.string().max(100).optional(),
  Id: z.number().int().optional(),
  EventTime: z.string().max(40).optional(),
});

/** The notice's facts when the body is a Deactivated notice; null for anything else. */
function deactivationOf(rawBody: Buffer): { guid: string | null; id: number | null; eventTime: string | null } | null {
  let json: unknown;
  try { json = JSON.parse(rawBody.toString('utf8')); } catch { return null; }
  const parsed = deactivationSchema.safeParse(json);
  if (!parsed.success) return null;
  return { guid: parsed.data.Guid ?? null, id: parsed.data.Id ?? null, eventTime: parsed.data.EventTime ?? null };
}

function refuse(status: number, error: string, message: string): WebhookOutcome {
  return { status, body: { error, message } };
}

export async function acceptTicketWebhook(ctx: CommandContext, request: WebhookRequest): Promise<WebhookOutcome> {
  const { services } = ctx;
  const tenantId = request.tenant ?? services.tenants.defaultTenantId;
  const tenant = tenantId === undefined ? undefined : services.config.tenants.find((t) => t.id === tenantId);
  // An unknown tenant and one without a secret answer alike: the caller learns nothing about which tenants exist.
  if (!tenant?.webhookSecret) {
    return refuse(401, 'WEBHOOK_SIGNATURE', `tenant ${JSON.stringify(tenantId ?? '')} accepts no webhooks (no webhook secret configured for it)`);
  }
  const verdict = verifyHookSignature(tenant.webhookSecret, request.rawBody, request.signature);
  // A Deactivated notice carries no entity type and Autotask does not promise to sign it: it is recorded either way
  // (it only informs ops; it changes nothing), so Autotask switching a webhook off is not answered 401 and forgotten.
  const deactivated = deactivationOf(request.rawBody);
  if (deactivated !== null) {
    const notice = { ...deactivated, receivedAt: services.now().toISOString(), signed: verdict.ok };
    const kept = await services.tenants.get(tenant.id).webhooks.recordDeactivation(notice);
    services.logger.warn({ tenant: tenant.id, ...notice, kept }, 'Autotask deactivated a webhook: re-activate it in Autotask once the cause is fixed');
    return { status: 200, body: { recorded: 'Deactivated', signed: verdict.ok } };
  }
  if (!verdict.ok) return refuse(401, 'WEBHOOK_SIGNATURE', verdict.reason);

  let json: unknown;
  try { json = JSON.parse(request.rawBody.toString('utf8')); } catch {
    return refuse(400, 'INPUT_INVALID', 'body: not JSON');
  }
  const parsed = webhookPayloadSchema.safeParse(json);
  if (!parsed.success) {
    return refuse(400, 'INPUT_INVALID', formatZodIssueList(parsed.error, 'body')[0] ?? 'body: invalid');
  }
  const event = parsed.data;
  const time = judgeEventTime(event.EventTime, services.now());
  if (!time.ok) return refuse(400, 'WEBHOOK_REPLAY', `body.${time.reason}`);

  const scope = services.tenants.get(tenant.id);
  if (!(await scope.webhooks.firstSeen(deliveryIdentity(event), WEBHOOK_SEEN_TTL_SECONDS))) return { status: 200, body: { duplicate: true } };
  // A signed, fresh, first-seen delivery of this webhook: Autotask calls it again, so its switch-off notice is over.
  if (event.Guid !== undefined && event.EventTime !== undefined && await scope.webhooks.clearDeactivation(event.Guid, event.EventTime)) {
    services.logger.info({ tenant: tenant.id, guid: event.Guid }, 'a deactivated webhook delivers again: its notice is cleared');
  }

  const isTicket = /^tickets?$/i.test(event.EntityType);
  // A Delete goes the same way: the job reads the ticket again, and only Autotask's own answer (no such ticket)
  // takes it out of the store, so a callout delivered late or out of order never drops a ticket that exists.
  if (!isTicket || event.Action === 'Deactivated') {
    return { status: 202, body: { ignored: `${event.EntityType} ${event.Action}` } };
  }
  const job = await enqueueJob(enqueueDepsOf(ctx), { name: 'detect-problems', tenant: tenant.id,
    data: { ticketId: event.Id, ...(event.Action === 'Delete' ? { deleted: true } : {}) } });
  return { status: 202, body: { jobId: job.jobId } };
}
