/**
 * GET  /api/dead-letters                    → {"deadLetters": [...]}
 * POST /api/dead-letters/{id}/requeue       → 202 {"jobId", ...}: the job runs again as a new job
 * POST /api/dead-letters/requeue-all        → 202 {"results": [...]}
 * The POST routes take no body (`bodyless`: a body sent anyway is refused).
 */
import type { FastifyInstance } from 'fastify';
import { listDeadLetters, requeueAllDeadLetters, requeueDeadLetter } from '../../runtime/dead-letter.js';
import type { ServerServices } from '../server.js';

export function registerDeadLetterRoutes(app: FastifyInstance, services: ServerServices): void {
  const deps = () => ({ config: services.runtime.config, queues: services.queues, registry: services.registry, tenants: services.runtime.tenants });

  app.get('/api/dead-letters', async () => ({ deadLetters: await listDeadLetters(deps()) }));

  app.post<{ Params: { id: string } }>('/api/dead-letters/:id/requeue', { config: { bodyless: true } }, async (request, reply) => {
    return reply.code(202).send(await requeueDeadLetter(deps(), request.params.id));
  });

  app.post('/api/dead-letters/requeue-all', { config: { bodyless: true } }, async (_request, reply) => {
    return reply.code(202).send({ results: await requeueAllDeadLetters(deps()) });
  });
}
