/** GET /api/invoices?status=draft|delivered[&tenant=] — the invoice documents build-invoices made, with warnings. */
import type { FastifyInstance } from 'fastify';
import type { ServerServices } from '../types.js';

const query = { type: 'object', additionalProperties: false, properties: {
  status: { type: 'string', enum: ['draft', 'delivered'] },
  tenant: { type: 'string', minLength: 1, maxLength: 64 },
} } as const;

export function registerInvoiceRoutes(app: FastifyInstance, { commands }: ServerServices): void {
  app.get<{ Querystring: { status?: 'draft' | 'delivered'; tenant?: string } }>('/api/invoices', { schema: { querystring: query } },
    async (request) => commands.listInvoices({ tenant: request.query.tenant, status: request.query.status }));
}
