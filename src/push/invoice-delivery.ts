/**
 * Delivers invoice documents to the sinks exactly once per invoice and sink (issue 6).
 *
 * Before the first sink is called, the invoice's billing items are bound to its invoiceKey in the delivered-items
 * ledger: from then on they are never grouped into another invoice (even if new items of the same purchase order
 * arrive), and the stored document is what later attempts deliver. Each sink's confirmation is recorded; a sink
 * that confirmed is never asked again, and sinks themselves are idempotent by invoiceKey (the file name, the HTTP
 * Idempotency-Key), which covers a crash between a sink's confirmation and its record.
 */
import type { Logger } from '../lib/logger.js';
import { errorMessage } from '../lib/errors.js';
import type { InvoiceDocument } from '../rules/invoice-types.js';
import type { InvoiceWarning } from '../rules/invoice-warnings.js';
import type { InvoiceSink } from '../sinks/invoice-sink.js';
import type { InvoiceStore, StoredInvoice } from '../store/invoice-store.js';

export interface DeliveryOutcome { invoiceKey: string; sinks: string[]; complete: boolean }

export async function deliverInvoices(deps: { invoices: InvoiceStore<InvoiceDocument, InvoiceWarning>; sinks: readonly InvoiceSink[];
  logger: Logger; signal: AbortSignal; now: () => Date;
  /** Called as soon as one invoice is confirmed by every sink (the job marks its items then, not after the batch). */
  onComplete?: (invoiceKey: string) => Promise<void> },
  records: readonly StoredInvoice<InvoiceDocument, InvoiceWarning>[]): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  let failure: unknown = null;
  for (const record of records) {
    deps.signal.throwIfAborted();
    const ids = record.document.items.map((i) => i.billingItemID);
    await deps.invoices.recordDeliveredItems(record.invoiceKey, ids);
    const confirmed = new Set(Object.keys(record.deliveries));
    const delivered: string[] = [];
    for (const sink of deps.sinks) {
      if (confirmed.has(sink.name)) continue;
      try {
        const { reference } = await sink.deliver(record.document, deps.signal);
        confirmed.add(sink.name);
        delivered.push(sink.name);
        await deps.invoices.recordDelivery(record.invoiceKey, sink.name, reference,
          deps.sinks.every((s) => confirmed.has(s.name)), deps.now());
      } catch (error) {
        // The other sinks and invoices still go out; the job fails at the end and its retry resumes this one.
        failure ??= error;
        deps.logger.warn({ invoiceKey: record.invoiceKey, sink: sink.name, err: errorMessage(error) }, 'invoice delivery failed');
      }
    }
    const complete = deps.sinks.every((s) => confirmed.has(s.name));
    outcomes.push({ invoiceKey: record.invoiceKey, sinks: delivered, complete });
    if (complete && deps.onComplete) await deps.onComplete(record.invoiceKey);
  }
  if (failure !== null) throw failure;
  return outcomes;
}
