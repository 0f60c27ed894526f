/**
 * Where invoice documents go (docs/glossary.md#sink). Autotask cannot create invoices through its API (docs/autotask-api.md#invoices
 * "Invoices"), so the worker hands each PO group to a sink and marks the billing items only after the sink has
 * confirmed. A sink must be idempotent per `invoiceKey`: the job may deliver the same document again after a
 * crash between delivery and marking, and that must not produce a second invoice downstream.
 */
import type { InvoiceDocument } from '../rules/invoice-types.js';
import { AppError } from '../lib/errors.js';

export type { InvoiceDocument } from '../rules/invoice-types.js';

export interface SinkDelivery {
  /** Only a confirmed delivery lets the job mark the items; a sink throws instead of returning anything else. */
  confirmed: true;
  /** Where the document now is: a file path, the receiver's id for it, … (shown to operators, kept in the ledger). */
  reference: string;
}

export interface InvoiceSink {
  /** Short, stable name for logs, metrics and the delivery ledger: "file", "http". */
  readonly name: string;
  deliver(doc: InvoiceDocument, signal?: AbortSignal): Promise<SinkDelivery>;
}

/** A delivery failed. `retryable` says whether trying the same document later may succeed. */
export class SinkDeliveryError extends AppError {
  readonly sink: string;
  constructor(sink: string, message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super('SINK_DELIVERY_FAILED', `${sink} sink: ${message}`, {
      retryable: options.retryable, cause: options.cause,
      details: { sink, ...(options.status === undefined ? {} : { status: options.status }) },
    });
    this.sink = sink;
  }
}

/** The sink already holds a different document under this invoiceKey; overwriting could undo an import. */
export class SinkConflictError extends AppError {
  constructor(sink: string, invoiceKey: string, where: string) {
    super('SINK_CONFLICT', `${sink} sink: ${where} already holds a different document for ${invoiceKey}`,
      { details: { sink, invoiceKey } });
  }
}

/** invoiceKeys name files and travel in headers: only a safe alphabet is accepted (no path tricks, no CR/LF). */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function assertSafeInvoiceKey(sink: string, invoiceKey: string): void {
  if (!SAFE_KEY.test(invoiceKey)) {
    throw new SinkDeliveryError(sink, `invoiceKey ${JSON.stringify(invoiceKey.slice(0, 60))} has characters other than `
      + 'letters, digits, ".", "_" and "-"', { retryable: false });
  }
}
