/**
 * GET /api/invoices?status=draft|delivered[&tenant=] — the invoice documents build-invoices made, with warnings,
 * versions and approval state. POST /api/invoices/{invoiceKey}/approve and …/reject, body {"version", "by"?}
 * [?tenant=] — the approval step of invoices.requireApproval for automation (docs/console.md#invoices-approval).
 */
import type { FastifyInstance } from 'fastify';
import type { ServerServices } from '../types.js';

const query = { type: 'object', additionalProperties: false, properties: {
  status: { type: 'string', enum: ['draft', 'delivered'] },
  tenant: { type: 'string', minLength: 1, maxLength: 64 },
} } as const;
const tenantQuery = { type: 'object', additionalProperties: false, properties: { tenant: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
// The invoiceKey alphabet of the sinks (src/sinks/invoice-sink.ts); the action is one of two words.
const decisionParams = { type: 'object', required: ['invoiceKey', 'action'], properties: {
  invoiceKey: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$' },
  action: { type: 'string', enum: ['approve', 'reject'] },
} } as const;
const decisionBody = { type: 'object', additionalProperties: false, required: ['version'], properties: {
  version: { type: 'string', pattern: '^[0-9a-f]{16}$' },
  by: { type: 'string', minLength: 1, maxLength: 200 },
} } as const;

export function registerInvoiceRoutes(app: FastifyInstance, { commands }: ServerServices): void {
  app.get<{ Querystring: { status?: 'draft' | 'delivered'; tenant?: string } }>('/api/invoices', { schema: { querystring: query } },
    async (request) => commands.listInvoices({ tenant: request.query.tenant, status: request.query.status }));
  app.post<{ Params: { invoiceKey: string; action: 'approve' | 'reject' }; Querystring: { tenant?: string }; Body: { version: string; by?: string } }>(
    '/api/invoices/:invoiceKey/:action', { schema: { params: decisionParams, querystring: tenantQuery, body: decisionBody } },
    async (request, reply) => {
      const answer = await commands.decideInvoice({ tenant: request.query.tenant, invoiceKey: request.params.invoiceKey,
        version: request.body.version, action: request.params.action === 'approve' ? 'approved' : 'rejected', by: request.body.by ?? 'api (admin token)' });
      if (answer.ok) return answer;
      return reply.code(answer.error === 'INVOICE_NOT_FOUND' ? 404 : 409).send({ error: answer.error, message: answer.message });
    });
}
