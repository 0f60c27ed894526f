/** GET /api/invoices?status=draft|delivered[&tenant=] — the invoice documents build-invoices made, with warnings. */
import type { FastifyInstance } from 'fastify';
import type { InvoiceDocument } from '../../rules/invoice-types.js';
import type { InvoiceWarning } from '../../rules/invoice-warnings.js';
import { InvoiceStore } from '../../store/invoice-store.js';
import type { ServerServices } from '../server.js';

const query = { type: 'object', additionalProperties: false, properties: {
  status: { type: 'string', enum: ['draft', 'delivered'] },
  tenant: { type: 'string', minLength: 1, maxLength: 64 },
} } as const;

export function registerInvoiceRoutes(app: FastifyInstance, services: ServerServices): void {
  const { runtime } = services;
  app.get<{ Querystring: { status?: 'draft' | 'delivered'; tenant?: string } }>('/api/invoices', { schema: { querystring: query } }, async (request) => {
    const tenant = runtime.tenants.get(request.query.tenant ?? runtime.tenants.defaultTenantId ?? 'default').tenant;
    const store = new InvoiceStore<InvoiceDocument, InvoiceWarning>(runtime.redis, runtime.keyPrefix, tenant.id);
    const records = await store.list(request.query.status);
    return {
      tenant: tenant.id,
      count: records.length,
      invoices: records.map((r) => ({ ...r.document, status: r.status, warnings: r.warnings, deliveries: r.deliveries,
        builtAt: r.builtAt, deliveredAt: r.deliveredAt, markedAt: r.markedAt ?? null })),
    };
  });
}
