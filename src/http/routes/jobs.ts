/**
 * POST /api/jobs/{job}  body {"data": {...}, "tenant"?: "id"} → 202 {"jobId", "tenant", "deduplicated"}
 * GET  /api/jobs/{id}   → state, progress, attempts, result or failure reason.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { enqueueJob } from '../../runtime/enqueue.js';
import type { ServerServices } from '../server.js';

class JobNotFoundError extends AppError {
  constructor(id: string) { super('JOB_NOT_FOUND', `no job with id "${id}" (it may have been trimmed)`, { details: { id } }); }
}

const enqueueBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    data: { type: 'object' },
    tenant: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

export function registerJobRoutes(app: FastifyInstance, services: ServerServices): void {
  app.post<{ Params: { job: string }; Body: { data?: Record<string, unknown>; tenant?: string } }>('/api/jobs/:job', {
    schema: { body: enqueueBody, params: { type: 'object', properties: { job: { type: 'string', maxLength: 64 } } } },
  }, async (request, reply) => {
    const result = await enqueueJob({ config: services.runtime.config, queues: services.queues, registry: services.registry,
      tenants: services.runtime.tenants }, { name: request.params.job, tenant: request.body?.tenant, data: request.body?.data ?? {} });
    return reply.code(202).send(result);
  });

  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (request) => {
    const job = await services.queues.jobs.getJob(request.params.id);
    if (!job) throw new JobNotFoundError(request.params.id);
    const state = await job.getState();
    return {
      id: job.id,
      name: job.name,
      tenant: job.data?.tenant,
      state,
      progress: job.progress,
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      createdAt: new Date(job.timestamp).toISOString(),
      processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      ...(state === 'delayed' ? { runsAt: new Date(job.timestamp + (job.delay ?? 0)).toISOString() } : {}),
      ...(state === 'completed' ? { result: job.returnvalue } : {}),
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    };
  });
}
