/**
 * acceptTicketWebhook: the runtime command behind POST /webhooks/autotask (the route parses the HTTP request,
 * calls this, and answers what it returns). Autotask waits 10 s, retries after 30 s, drops after 5 tries and
 * disables a webhook after 25 failures in a row, so this answers fast and queues the work:
 *  1. the tenant is the one `?tenant=` names (default tenant otherwise), and the X-Hook-Signature is checked with
 *     THAT tenant's own secret (the query string is outside the signature) over the raw bytes, then Autotask's
 *     escaped form of them;
 *  2. the payload is parsed and checked; its EventTime bounds replays; a delivery seen before (same Guid + entity +
 *     Id + SequenceNumber, src/rules/webhook-delivery.ts) is answered 200 and not queued again;
 *  3. a ticket Create/Update enqueues an incremental `detect-problems` for that ticket and answers 202.
 */
import { z } from 'zod';
import type { JobRegistry } from '../../jobs/registry.js';
import { verifyHookSignature } from '../lib/hook-signature.js';
import { deliveryIdentity, judgeEventTime, WEBHOOK_SEEN_TTL_SECONDS } from '../rules/webhook-delivery.js';
import { WebhookDeliveries } from '../store/webhook-deliveries.js';
import { enqueueJob } from './enqueue.js';
import type { RuntimeQueues } from './queues.js';
import type { RuntimeServices } from './services.js';

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

export interface WebhookDeps {
  runtime: RuntimeServices;
  queues: RuntimeQueues;
  registry: JobRegistry;
}

export interface WebhookRequest {
  /** `?tenant=`; undefined = the default tenant. */
  tenant: string | undefined;
  rawBody: Buffer;
  signature: string | undefined;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

function refuse(status: number, error: string, message: string): WebhookAnswer {
  return { status, body: { error, message } };
}

/** True when at least one tenant has a webhook secret (the route is registered only then). */
export function webhooksEnabled(runtime: RuntimeServices): boolean {
  return runtime.config.tenants.some((t) => Boolean(t.webhookSecret));
}

export async function acceptTicketWebhook(deps: WebhookDeps, request: WebhookRequest): Promise<WebhookAnswer> {
  const { runtime } = deps;
  const tenantId = request.tenant ?? runtime.tenants.defaultTenantId;
  const tenant = tenantId === undefined ? undefined : runtime.config.tenants.find((t) => t.id === tenantId);
  // Unknown tenant and tenant without a secret answer alike: the caller learns nothing about which tenants exist.
  if (!tenant?.webhookSecret) return refuse(401, 'WEBHOOK_SIGNATURE', `tenant ${JSON.stringify(tenantId ?? '')} accepts no webhooks (no webhook secret configured for it)`);
  const verdict = verifyHookSignature(tenant.webhookSecret, request.rawBody, request.signature);
  if (!verdict.ok) return refuse(401, 'WEBHOOK_SIGNATURE', verdict.reason);

  let json: unknown;
  try { json = JSON.parse(request.rawBody.toString('utf8')); } catch {
    return refuse(400, 'INPUT_INVALID', 'body: not JSON');
  }
  const parsed = webhookPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(400, 'INPUT_INVALID', `body.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const event = parsed.data;
  const time = judgeEventTime(event.EventTime, runtime.now());
  if (!time.ok) return refuse(400, 'WEBHOOK_REPLAY', `body.${time.reason}`);

  const deliveries = new WebhookDeliveries(runtime.redis, runtime.keyPrefix, tenant.id);
  if (!await deliveries.claim(deliveryIdentity(event), WEBHOOK_SEEN_TTL_SECONDS)) return { status: 200, body: { duplicate: true } };

  const isTicket = /^tickets?$/i.test(event.EntityType);
  if (!isTicket || (event.Action !== 'Create' && event.Action !== 'Update')) {
    return { status: 202, body: { ignored: `${event.EntityType} ${event.Action}` } };
  }
  const job = await enqueueJob({ config: runtime.config, queues: deps.queues, registry: deps.registry, tenants: runtime.tenants },
    { name: 'detect-problems', tenant: tenant.id, data: { ticketId: event.Id } });
  return { status: 202, body: { jobId: job.jobId } };
}
