/**
 * POST /webhooks/autotask (docs/autotask-api.md#webhooks, issue 7). Autotask waits 10 s, retries after 30 s, drops after
 * 5 tries and disables a webhook after 25 failures in a row, so this route answers fast and queues the work:
 *  1. the X-Hook-Signature is checked over the raw bytes (then Autotask's escaped form) before anything is read;
 *  2. the payload is parsed and checked; a delivery seen before (same Guid, or entity+id+sequence) is answered
 *     200 and not queued again;
 *  3. a ticket Create/Update enqueues an incremental `detect-problems` for that ticket and answers 202.
 * Without AUTOTASK_WEBHOOK_SECRET the route is not registered at all (docs/contract.md#environment: unset secret, no webhook route).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { verifyHookSignature } from '../../lib/hook-signature.js';
import { formatZodIssueList } from '../../lib/zod-issues.js';
import type { ServerServices } from '../types.js';

const payloadSchema = z.looseObject({
  Action: z.enum(['Create', 'Update', 'Delete', 'Deactivated']),
  Guid: z.string().max(100).optional(),
  EntityType: z.string().min(1).max(64),
  Id: z.number().int().positive(),
  Fields: z.record(z.string(), z.unknown()).optional(),
  EventTime: z.string().max(40).optional(),
  SequenceNumber: z.number().int().nonnegative().optional(),
  PersonID: z.number().int().nullable().optional(),
});

export function registerWebhookRoutes(app: FastifyInstance, { commands, config }: ServerServices): void {
  const secret = config.webhookSecret;
  if (!secret) return;

  app.post<{ Querystring: { tenant?: string } }>('/webhooks/autotask', {
    config: { rawBody: true },
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 } } } },
  }, async (request, reply) => {
    const raw = request.body as Buffer;
    const verdict = verifyHookSignature(secret, raw, request.headers['x-hook-signature'] as string | undefined);
    if (!verdict.ok) return reply.code(401).send({ error: 'WEBHOOK_SIGNATURE', message: verdict.reason });

    let json: unknown;
    try { json = JSON.parse(raw.toString('utf8')); } catch {
      return reply.code(400).send({ error: 'INPUT_INVALID', message: 'body: not JSON' });
    }
    const parsed = payloadSchema.safeParse(json);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'INPUT_INVALID', message: formatZodIssueList(parsed.error, 'body')[0] ?? 'body: invalid' });
    }
    const outcome = await commands.acceptTicketWebhook(request.query.tenant, parsed.data);
    return reply.code('duplicate' in outcome ? 200 : 202).send(outcome);
  });
}
