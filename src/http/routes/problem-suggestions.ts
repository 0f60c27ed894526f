/**
 * GET /api/problem-suggestions[?status=&tenant=], POST /api/problem-suggestions/{id}/approve and …/reject: the
 * problem groups waiting for a person (docs/problem-detection.md). Parse, call the command, answer.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SuggestionAnswer } from '../../runtime/commands/index.js';
import type { ServerServices } from '../types.js';

const listQuery = { type: 'object', additionalProperties: false, properties: {
  status: { type: 'string', enum: ['open', 'approved', 'linked', 'rejected'] },
  tenant: { type: 'string', minLength: 1, maxLength: 64 },
} } as const;
const tenantQuery = { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{24}$' } } } as const;

type Status = 'open' | 'approved' | 'linked' | 'rejected';

function answer(reply: FastifyReply, result: SuggestionAnswer): unknown {
  if (result.ok) return result;
  return reply.code(result.kind === 'not-found' ? 404 : 409).send({ error: result.error, message: result.message });
}

export function registerProblemSuggestionRoutes(app: FastifyInstance, { commands }: ServerServices): void {
  app.get<{ Querystring: { status?: Status; tenant?: string } }>('/api/problem-suggestions', { schema: { querystring: listQuery } },
    async (request) => commands.listProblemSuggestions({ tenant: request.query.tenant, status: request.query.status }));
  app.post<{ Params: { id: string }; Querystring: { tenant?: string } }>('/api/problem-suggestions/:id/approve',
    { schema: { params: idParams, querystring: tenantQuery }, config: { bodyless: true } },
    async (request, reply) => answer(reply, await commands.approveProblemSuggestion({ tenant: request.query.tenant, id: request.params.id })));
  app.post<{ Params: { id: string }; Querystring: { tenant?: string } }>('/api/problem-suggestions/:id/reject',
    { schema: { params: idParams, querystring: tenantQuery }, config: { bodyless: true } },
    async (request, reply) => answer(reply, await commands.rejectProblemSuggestion({ tenant: request.query.tenant, id: request.params.id })));
}
