/**
 * The stopwatch API (INTERFACE.md, issue 8). State lives in Redis (src/store/stopwatch-store.ts), so a worker
 * restart loses nothing; stop enqueues `push-time-entries` with the stopwatch id as the entry key and answers at
 * once. Every route is under /api, so ADMIN_TOKEN guards it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Resource, Ticket } from '../../autotask/schemas/index.js';
import { enqueueJob } from '../../runtime/enqueue.js';
import { stopwatchEntry, workedSeconds } from '../../rules/stopwatch.js';
import { checkStopwatchStart } from '../../rules/time-entry.js';
import { createStopwatchStore, type StopwatchStoreResult, type StoredStopwatch } from '../../store/stopwatch-store.js';
import type { ServerServices } from '../server.js';

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

const STATUS: Record<string, number> = { NOT_FOUND: 404, CONFLICT: 409, ALREADY_RUNNING: 409, ALREADY_PAUSED: 409,
  ALREADY_STOPPED: 409, ALREADY_PUSHED: 409, NOT_STOPPED: 409, INVALID_INPUT: 400 };

export function registerStopwatchRoutes(app: FastifyInstance, services: ServerServices): void {
  const { runtime } = services;
  const tenantOf = (requested: string | undefined) => runtime.tenants.get(requested ?? runtime.tenants.defaultTenantId ?? 'default');
  const storeOf = (tenantId: string) => createStopwatchStore({ redis: runtime.redis, keyPrefix: runtime.keyPrefix, tenantId });

  const view = (sw: StoredStopwatch) => ({
    id: sw.id, state: sw.state, ticketId: sw.ticketId, resourceId: sw.resourceId, roleId: sw.roleId,
    workedSeconds: workedSeconds(sw, runtime.now()), startedAt: sw.startedAt, stoppedAt: sw.stoppedAt,
    timeEntryId: sw.timeEntryId, pushError: sw.pushError, intervals: sw.intervals,
  });
  const answer = (reply: FastifyReply, result: StopwatchStoreResult) => (result.ok
    ? reply.send(view(result.stopwatch))
    : reply.code(STATUS[result.code] ?? 409).send({ error: `STOPWATCH_${result.code}`, message: result.reason }));

  app.post<{ Body: StartBody }>('/api/stopwatches', { schema: { body: startBody } }, async (request, reply) => {
    const body = request.body;
    const { tenant, client } = tenantOf(body.tenant);
    const [ticket, resource] = await Promise.all([client.get('Tickets', body.ticketId), client.get('Resources', body.resourceId)]);
    const check = checkStopwatchStart({ ticketId: body.ticketId, resourceId: body.resourceId, ticket: ticketFacts(ticket),
      resource: resourceFacts(resource), allowCompletedTickets: runtime.config.timeEntries.allowCompletedTickets });
    if (!check.ok) {
      const status = check.code.endsWith('NOT_FOUND') ? 404 : 422;
      return reply.code(status).send({ error: check.code, message: `${check.field}: ${check.reason}` });
    }
    const result = await storeOf(tenant.id).start({ ticketId: body.ticketId, resourceId: body.resourceId,
      roleId: body.roleId ?? null, summaryNotes: body.summaryNotes ?? null, internalNotes: body.internalNotes ?? null }, runtime.now());
    if (!result.ok) {
      const existing = result.code === 'CONFLICT' ? { id: result.conflict } : {};
      return reply.code(STATUS[result.code] ?? 409).send({ error: `STOPWATCH_${result.code}`, message: result.reason, ...existing });
    }
    return reply.code(201).send(view(result.stopwatch));
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { id: string }; Querystring: { tenant?: string } }>(`/api/stopwatches/:id/${action}`,
      { schema: { params, querystring: tenantQuery }, config: { bodyless: true } }, async (request, reply) => {
        const store = storeOf(tenantOf(request.query.tenant).tenant.id);
        return answer(reply, await store[action](request.params.id, runtime.now()));
      });
  }

  app.post<{ Params: { id: string }; Querystring: { tenant?: string }; Body: { summaryNotes?: string; internalNotes?: string } | undefined }>(
    '/api/stopwatches/:id/stop', {
      schema: { params, querystring: tenantQuery, body: stopBody },
      // The body is optional (INTERFACE.md: stop takes `{"summaryNotes"?,"internalNotes"?}`): none means `{}`.
      preValidation: async (request) => { request.body ??= {}; },
    }, async (request, reply) => {
      const tenant = tenantOf(request.query.tenant).tenant;
      const result = await storeOf(tenant.id).stop(request.params.id, request.body ?? {}, runtime.now());
      if (!result.ok) return answer(reply, result);
      const entry = stopwatchEntry(result.stopwatch);
      // The stopwatch is already stopped and listed as unpushed, so a lost enqueue is swept up by the next
      // push-time-entries run; the answer does not wait for Autotask.
      const job = entry ? await enqueueJob({ config: runtime.config, queues: services.queues, registry: services.registry,
        tenants: runtime.tenants }, { name: 'push-time-entries', tenant: tenant.id, data: { entries: [entry] } }) : null;
      return reply.send({ ...view(result.stopwatch), jobId: job?.jobId ?? null });
    });

  app.get<{ Params: { id: string }; Querystring: { tenant?: string } }>('/api/stopwatches/:id',
    { schema: { params, querystring: tenantQuery } }, async (request, reply) => {
      const sw = await storeOf(tenantOf(request.query.tenant).tenant.id).get(request.params.id);
      if (!sw) return reply.code(404).send({ error: 'STOPWATCH_NOT_FOUND', message: `no stopwatch ${request.params.id}` });
      return reply.send(view(sw));
    });
}

function ticketFacts(ticket: Ticket | null) {
  return ticket && { id: ticket.id, ticketNumber: ticket.ticketNumber, title: ticket.title, status: ticket.status,
    assignedResourceID: ticket.assignedResourceID, assignedResourceRoleID: ticket.assignedResourceRoleID };
}

function resourceFacts(resource: Resource | null) {
  return resource && { id: resource.id, isActive: resource.isActive };
}
