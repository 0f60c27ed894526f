/** The invoice documents build-invoices made (GET /api/invoices), with their warnings and deliveries. */
import type { SkippedItem } from '../../rules/invoice-grouping.js';
import type { CommandContext } from './context.js';

export interface InvoiceListing {
  tenant: string;
  count: number;
  invoices: Array<Record<string, unknown>>;
  /** Items the last build-invoices run left off every document, each with its reason; null before the first run. */
  skipped: { builtAt: string; count: number; items: SkippedItem[] } | null;
}

export async function listInvoices(ctx: CommandContext, request: { tenant?: string | undefined; status?: 'draft' | 'delivered' | undefined }): Promise<InvoiceListing> {
  const scope = ctx.services.tenants.get(ctx.services.tenants.resolve(request.tenant));
  const records = await scope.invoices.list(request.status);
  const skipped = await scope.invoices.lastSkipped<SkippedItem>();
  return {
    tenant: scope.tenant.id,
    count: records.length,
    invoices: records.map((r) => ({ ...r.document, status: r.status, warnings: r.warnings, deliveries: r.deliveries,
      builtAt: r.builtAt, deliveredAt: r.deliveredAt, markedAt: r.markedAt ?? null })),
    skipped: skipped === null ? null : { builtAt: skipped.builtAt, count: skipped.items.length, items: skipped.items },
  };
}
