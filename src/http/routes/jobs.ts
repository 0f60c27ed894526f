/**
 * POST /api/jobs/{job}  body {"data": {...}, "tenant"?: "id"} → 202 {"jobId", "tenant", "deduplicated"}
 * GET  /api/jobs/{id}   → state, progress, attempts, result or failure reason.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerServices } from '../types.js';

const enqueueBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    data: { type: 'object' },
    tenant: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

export function registerJobRoutes(app: FastifyInstance, { commands }: ServerServices): void {
  app.post<{ Params: { job: string }; Body: { data?: Record<string, unknown>; tenant?: string } }>('/api/jobs/:job', {
    schema: { body: enqueueBody, params: { type: 'object', properties: { job: { type: 'string', maxLength: 64 } } } },
  }, async (request, reply) => {
    const result = await commands.enqueue({ name: request.params.job, tenant: request.body?.tenant, data: request.body?.data ?? {} });
    return reply.code(202).send(result);
  });

  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (request) => commands.jobStatus(request.params.id));
}
