/**
 * The stopwatch API (issue 8): parse, call the runtime's stopwatch commands (src/runtime/commands/stopwatches.ts),
 * answer. Every route is under /api, so ADMIN_TOKEN guards it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StopwatchAnswer, StopwatchRefused } from '../../runtime/commands/index.js';
import { STOPWATCH_STATES } from '../../runtime/commands/stopwatches.js';
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

  // Query strings arrive as text (the server does not coerce types): ids are checked as digits, then converted.
  const digits = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } as const;
  const listQuery = { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 },
    state: { type: 'string', enum: [...STOPWATCH_STATES] }, resourceId: digits, ticketId: digits, limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' } } } as const;
  const num = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));
  app.get<{ Querystring: { tenant?: string; state?: (typeof STOPWATCH_STATES)[number]; resourceId?: string; ticketId?: string; limit?: string } }>(
    '/api/stopwatches', { schema: { querystring: listQuery } },
    async (request) => ({ stopwatches: await commands.listStopwatches({ tenant: request.query.tenant, state: request.query.state,
      resourceId: num(request.query.resourceId), ticketId: num(request.query.ticketId), limit: num(request.query.limit) }) }));

  const correctBody = { type: 'object', additionalProperties: false, minProperties: 1,
    properties: { roleId: { anyOf: [id, { type: 'null' }] }, summaryNotes: { type: 'string' }, internalNotes: { anyOf: [{ type: 'string' }, { type: 'null' }] } } } as const;
  app.patch<{ Params: { id: string }; Querystring: { tenant?: string }; Body: { roleId?: number | null; summaryNotes?: string; internalNotes?: string | null } }>(
    '/api/stopwatches/:id', { schema: { params, querystring: tenantQuery, body: correctBody } },
    async (request, reply) => answer(reply, await commands.correctStopwatch(request.query.tenant, request.params.id, request.body)));

  app.post<{ Params: { id: string }; Querystring: { tenant?: string } }>('/api/stopwatches/:id/retry',
    { schema: { params, querystring: tenantQuery }, config: { bodyless: true } }, async (request, reply) => {
      const result = await commands.retryStopwatch(request.query.tenant, request.params.id);
      return result.ok ? reply.code(202).send({ ...result.stopwatch, jobId: result.jobId }) : refuse(reply, result);
    });

  app.get<{ Params: { id: string }; Querystring: { tenant?: string } }>('/api/stopwatches/:id',
    { schema: { params, querystring: tenantQuery } },
    async (request, reply) => answer(reply, await commands.getStopwatch(request.query.tenant, request.params.id)));
}
