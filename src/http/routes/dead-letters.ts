/**
 * GET  /api/dead-letters                    → {"deadLetters": [...]}
 * POST /api/dead-letters/{id}/requeue       → 202 {"jobId", ...}: the job runs again as a new job
 * POST /api/dead-letters/requeue-all        → 202 {"results": [...]}
 * The POST routes take no body (`bodyless`: a body sent anyway is refused).
 */
import type { FastifyInstance } from 'fastify';
import type { ServerServices } from '../types.js';

export function registerDeadLetterRoutes(app: FastifyInstance, { commands }: ServerServices): void {
  app.get('/api/dead-letters', async () => ({ deadLetters: await commands.listDeadLetters() }));

  app.post<{ Params: { id: string } }>('/api/dead-letters/:id/requeue', { config: { bodyless: true } }, async (request, reply) => {
    return reply.code(202).send(await commands.requeueDeadLetter(request.params.id));
  });

  app.post('/api/dead-letters/requeue-all', { config: { bodyless: true } }, async (_request, reply) => {
    return reply.code(202).send({ results: await commands.requeueAllDeadLetters() });
  });
}
