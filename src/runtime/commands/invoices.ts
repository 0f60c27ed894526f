/** The invoice documents build-invoices made (GET /api/invoices), with their warnings and deliveries. */
import type { CommandContext } from './context.js';

export interface InvoiceListing {
  tenant: string;
  count: number;
  invoices: Array<Record<string, unknown>>;
}

export async function listInvoices(ctx: CommandContext, request: { tenant?: string | undefined; status?: 'draft' | 'delivered' | undefined }): Promise<InvoiceListing> {
  const scope = ctx.services.tenants.get(ctx.services.tenants.resolve(request.tenant));
  const records = await scope.invoices.list(request.status);
  return {
    tenant: scope.tenant.id,
    count: records.length,
    invoices: records.map((r) => ({ ...r.document, status: r.status, warnings: r.warnings, deliveries: r.deliveries,
      builtAt: r.builtAt, deliveredAt: r.deliveredAt, markedAt: r.markedAt ?? null })),
  };
}
