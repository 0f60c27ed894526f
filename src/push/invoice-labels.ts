/**
 * What a person needs to read an invoice document that the grouping does not know: the company's name and the
 * currency it is invoiced in (issue 18). Read from Autotask right before the documents are saved, one `id in`
 * batch of Companies (name, currencyID) and the Currencies list: a company without a currencyID is invoiced in the
 * tenant's internal currency (docs/autotask-api.md#currencies). Without the Multi-currency module (or the right to
 * read Currencies) the currency stays null and invoicing goes on; the amounts are unchanged either way.
 */
import type { AutotaskClient } from '../autotask/types.js';
import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { InvoiceDocument } from '../rules/invoice-types.js';

export interface InvoiceLabels { companyName: string | null; currency: string | null }

export async function readInvoiceLabels(client: AutotaskClient, companyIDs: readonly number[], signal: AbortSignal,
  logger: Logger): Promise<Map<number, InvoiceLabels>> {
  const out = new Map<number, InvoiceLabels>();
  if (companyIDs.length === 0) return out;
  const companies = new Map<number, { companyName: string; currencyID: number | null }>();
  for await (const c of client.queryIn('Companies', 'id', companyIDs, [], { signal, includeFields: ['id', 'companyName', 'currencyID'] })) {
    companies.set(c.id, { companyName: c.companyName, currencyID: c.currencyID });
  }
  const codes = new Map<number, string>();
  let internal: string | null = null;
  try {
    for await (const currency of client.query('Currencies', [{ op: 'gt', field: 'id', value: 0 }], { signal })) {
      codes.set(currency.id, currency.name);
      if (currency.isInternalCurrency) internal = currency.name;
    }
  } catch (error) {
    signal.throwIfAborted();
    logger.warn({ err: errorMessage(error) }, 'cannot read Currencies (Multi-currency module off, or no right to read it): invoice documents carry no currency');
  }
  for (const id of companyIDs) {
    const company = companies.get(id);
    const currency = company?.currencyID != null ? codes.get(company.currencyID) ?? null : internal;
    out.set(id, { companyName: company?.companyName ?? null, currency });
  }
  return out;
}

/** The document with its labels right after companyID, so a reader sees who and in what currency before the items. */
export function labelDocument(doc: InvoiceDocument, labels: InvoiceLabels | undefined): InvoiceDocument {
  const { invoiceKey, companyID, ...rest } = doc;
  return { invoiceKey, companyID, companyName: labels?.companyName ?? null, currency: labels?.currency ?? null, ...rest };
}
