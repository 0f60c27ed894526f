/**
 * `build-invoices`: keep contracts' PO numbers right, group the open billing items into one invoice document per
 * company and purchase order, deliver each to the configured sinks, and mark what was delivered (issue 6;
 * src/push/build-invoices.ts has the how).
 */
import { z } from 'zod';
import { buildInvoices } from '../src/push/build-invoices.js';
import { createFileSink } from '../src/sinks/file-sink.js';
import { createHttpSink } from '../src/sinks/http-sink.js';
import type { InvoiceSink } from '../src/sinks/invoice-sink.js';
import type { JobContext } from './define-job.js';
import { plural } from '../src/lib/plural.js';
import { defineJob } from './define-job.js';

function sinksOf(ctx: JobContext<unknown>): InvoiceSink[] {
  const sinks: InvoiceSink[] = [];
  if (ctx.config.invoices.fileSink) sinks.push(createFileSink({ directory: ctx.config.invoiceOutputDir, tenant: ctx.scope.tenant.id }));
  if (ctx.config.invoiceWebhook) {
    sinks.push(createHttpSink({ url: ctx.config.invoiceWebhook.url, secret: ctx.config.invoiceWebhook.secret, tenant: ctx.scope.tenant.id, logger: ctx.logger,
      timeoutMs: ctx.config.invoices.httpSink.timeoutMs, retries: ctx.config.invoices.httpSink.retries }));
  }
  return sinks;
}

export const buildInvoicesJob = defineJob({
  name: 'build-invoices',
  description: 'Apply the PO policy, build one invoice document per company and PO, deliver them and mark the items',
  // `approved` names the approval (invoiceKey@version) that enqueued this run: it only makes the run's data differ
  // from a run already under way, which may have read the decisions before the approval and would otherwise
  // swallow this one by de-duplication. The run delivers every approved draft either way.
  schema: z.strictObject({ deliver: z.boolean().default(true), approved: z.string().max(300).optional() }),
  writesToTenant: true,
  syncAllStage: 'chain',
  async handler(ctx) {
    const result = await buildInvoices({
      client: ctx.scope.client,
      store: ctx.scope.entities,
      invoices: ctx.scope.invoices,
      settings: ctx.config.invoices,
      retentionDays: ctx.config.store.retentionDays,
      sinks: sinksOf(ctx),
      logger: ctx.logger,
      dryRun: ctx.dryRun,
      signal: ctx.signal,
      now: () => ctx.now(),
      // A run needing more than the hour has left says so in its progress (the dashboard shows it).
      onWritesPlanned: (requests) => ctx.planRequests(requests),
    }, { deliver: ctx.data.deliver });
    const po = result.poUpdates.filter((u) => u.status === 'updated' || u.status === 'would-update').length;
    const delivered = ctx.dryRun ? result.wouldDeliver.length : result.deliveries.filter((d) => d.sinks.length > 0).length;
    const marked = ctx.dryRun ? result.wouldMark.length : result.marks.marked.length;
    const verb = ctx.dryRun ? 'would' : '';
    return {
      summary: `Invoices: ${result.documents.length} by purchase order (${plural(result.warnings.length, 'warning')}); ` +
        `${plural(po, 'PO number')} ${verb ? 'would be ' : ''}set, ${delivered} ${verb ? 'would be ' : ''}delivered, ${plural(marked, 'item')} ${verb ? 'would be ' : ''}marked` +
        (result.reconciliation.length ? `; ${plural(result.reconciliation.length, 'reconciliation finding')}` : '') +
        (result.heldForApproval.length ? `; ${plural(result.heldForApproval.length, 'draft')} held for approval` : '') +
        (result.skippedItems.length ? `; ${plural(result.skippedItems.length, 'item')} left off (see skipped)` : '') +
        (result.leftOpenSet.length ? `; ${plural(result.leftOpenSet.length, 'item')} dropped: no longer open in Autotask` : '') +
        (result.marks.invoiced.length ? `; ${plural(result.marks.invoiced.length, 'delivered item')} found invoiced in Autotask, not marked` : ''),
      // A dry run counts what it would do under its own names: "delivered: 5" in a dry run's log read as done.
      counts: { invoices: result.documents.length, items: result.documents.reduce((n, d) => n + d.items.length, 0),
        warnings: result.warnings.length, skipped: result.skippedItems.length, heldForApproval: result.heldForApproval.length, alreadyMarked: result.marks.alreadyMarked.length,
        reconciliationFindings: result.reconciliation.length, retentionDropped: result.retention.dropped, leftOpenSet: result.leftOpenSet.length, invoicedNotMarked: result.marks.invoiced.length,
        ...(ctx.dryRun ? { wouldSetPo: po, wouldDeliver: delivered, wouldMark: marked } : { poUpdates: po, delivered, marked }) } as Record<string, number>,
      invoices: result.documents.map((d) => ({ invoiceKey: d.invoiceKey, companyID: d.companyID, purchaseOrderNumber: d.purchaseOrderNumber,
        items: d.items.length, subtotal: d.subtotal, tax: d.tax, total: d.total })),
      warnings: result.warnings,
      poUpdates: result.poUpdates,
      poWarnings: result.poWarnings,
      reconciliation: result.reconciliation,
      skipped: result.skippedItems,
      heldForApproval: result.heldForApproval,
      leftOpenSet: result.leftOpenSet,
      invoicedNotMarked: result.marks.invoiced,
      writes: [
        ...result.poUpdates.filter((u) => u.status === 'updated' || u.status === 'would-update')
          .map((u) => ({ method: 'PATCH' as const, entity: 'Contracts', body: { id: u.contractID, purchaseOrderNumber: u.to }, reason: u.reason })),
        ...(ctx.dryRun ? result.documents.filter((d) => result.wouldDeliver.includes(d.invoiceKey)).map((d) => ({ method: 'DELIVER' as const, entity: 'Invoice', body: { invoiceKey: d.invoiceKey,
          companyID: d.companyID, purchaseOrderNumber: d.purchaseOrderNumber, total: d.total }, reason: `${d.items.length} billing items` })) : []),
        ...result.wouldMark.map((id) => ({ method: 'PATCH' as const, entity: 'BillingItems', body: { id, webServiceDate: '(now)' }, reason: 'exported' })),
      ],
    };
  },
});
