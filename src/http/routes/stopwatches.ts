/**
 * The stopwatch API (issue 8): parse, call the runtime's stopwatch commands (src/runtime/commands/stopwatches.ts),
 * answer. Every route is under /api, so ADMIN_TOKEN guards it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StopwatchAnswer, StopwatchRefused } from '../../runtime/commands/index.js';
import type { ServerServices } from '../types.js';

const id = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;
const notes = { type: 'string', maxLength: 8000 } as const;
const startBody = {
  type: 'object', additionalProperties: false, required: ['ticketId', 'resourceId'],
  properties: { ticketId: id, resourceId: id, roleId: { anyOf: [id, { type: 'null' }] }, summaryNotes: notes, internalNotes: notes,
    tenant: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
const stopBody = { type: 'object', additionalProperties: false, properties: { summaryNotes: notes, internalNotes: notes } } as const;
const params = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } as const;
const tenantQuery = { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

type StartBody = { ticketId: number; resourceId: number; roleId?: number | null; summaryNotes?: string; internalNotes?: string; tenant?: string };

const STATUS: Record<StopwatchRefused['kind'], number> = { 'not-found': 404, conflict: 409, invalid: 400, unprocessable: 422 };

function refuse(reply: FastifyReply, refused: StopwatchRefused) {
  return reply.code(STATUS[refused.kind]).send({ error: refused.error, message: refused.message,
    ...(refused.conflictId !== undefined ? { id: refused.conflictId } : {}) });
}

function answer(reply: FastifyReply, result: StopwatchAnswer, status = 200) {
  return result.ok ? reply.code(status).send(result.stopwatch) : refuse(reply, result);
}

export function registerStopwatchRoutes(app: FastifyInstance, { commands }: ServerServices): void {
  app.post<{ Body: StartBody }>('/api/stopwatches', { schema: { body: startBody } },
    async (request, reply) => answer(reply, await commands.startStopwatch(request.body), 201));

  for (const action of ['pause', 'resume'] as const) {
    const command = action === 'pause' ? commands.pauseStopwatch : commands.resumeStopwatch;
    app.post<{ Params: { id: string }; Querystring: { tenant?: string } }>(`/api/stopwatches/:id/${action}`,
      { schema: { params, querystring: tenantQuery }, config: { bodyless: true } },
      async (request, reply) => answer(reply, await command(request.query.tenant, request.params.id)));
  }

  app.post<{ Params: { id: string }; Querystring: { tenant?: string }; Body: { summaryNotes?: string; internalNotes?: string } | undefined }>(
    '/api/stopwatches/:id/stop', {
      schema: { params, querystring: tenantQuery, body: stopBody },
      // The body is optional (stop takes `{"summaryNotes"?,"internalNotes"?}`): none means `{}`.
      preValidation: async (request) => { request.body ??= {}; },
    }, async (request, reply) => {
      const result = await commands.stopStopwatch(request.query.tenant, request.params.id, request.body ?? {});
      return result.ok ? reply.send({ ...result.stopwatch, jobId: result.jobId }) : refuse(reply, result);
    });

  app.get<{ Params: { id: string }; Querystring: { tenant?: string } }>('/api/stopwatches/:id',
    { schema: { params, querystring: tenantQuery } },
    async (request, reply) => answer(reply, await commands.getStopwatch(request.query.tenant, request.params.id)));
}
