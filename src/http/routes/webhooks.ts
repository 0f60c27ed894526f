/**
 * POST /webhooks/autotask?tenant=<id>: hands the raw body and signature header to the runtime command
 * acceptTicketWebhook (src/runtime/commands/webhooks.ts: the tenant's own secret, replay window, delivery
 * de-duplication, enqueue) and answers what it returns. Registered only when some tenant has a webhook secret.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerServices } from '../types.js';

export function registerWebhookRoutes(app: FastifyInstance, { commands, config }: ServerServices): void {
  if (!config.tenants.some((t) => Boolean(t.webhookSecret))) return;
  app.post<{ Querystring: { tenant?: string } }>('/webhooks/autotask', {
    config: { rawBody: true },
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 } } } },
  }, async (request, reply) => {
    const outcome = await commands.acceptTicketWebhook({ tenant: request.query.tenant, rawBody: request.body as Buffer,
      signature: request.headers['x-hook-signature'] as string | undefined });
    return reply.code(outcome.status).send(outcome.body);
  });
}
