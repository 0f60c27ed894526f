/**
 * POST /webhooks/autotask?tenant=<id>: parses the HTTP request, calls the runtime command acceptTicketWebhook
 * (src/runtime/webhook-intake.ts: signature with the tenant's own secret, replay window, delivery de-duplication,
 * enqueue) and answers what it returns. Registered only when some tenant has a webhook secret.
 */
import type { FastifyInstance } from 'fastify';
import { acceptTicketWebhook, webhooksEnabled } from '../../runtime/webhook-intake.js';
import type { ServerServices } from '../server.js';

export function registerWebhookRoutes(app: FastifyInstance, services: ServerServices): void {
  if (!webhooksEnabled(services.runtime)) return;
  app.post<{ Querystring: { tenant?: string } }>('/webhooks/autotask', {
    config: { rawBody: true },
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 } } } },
  }, async (request, reply) => {
    const answer = await acceptTicketWebhook(services, {
      tenant: request.query.tenant, rawBody: request.body as Buffer, signature: request.headers['x-hook-signature'] as string | undefined,
    });
    return reply.code(answer.status).send(answer.body);
  });
}
