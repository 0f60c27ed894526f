/** An invoice document as CSV (one line per billing item, totals last) for finance tools that do not read JSON. */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote when needed; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const COLUMNS = ['billingItemID', 'itemDate', 'itemName', 'description', 'quantity', 'rate', 'extendedPrice', 'taxDollars',
  'totalAmount', 'contractID', 'ticketID', 'timeEntryID'] as const;

/**
 * The tenant and the currency close each line: an invoiceKey is unique only within a tenant, and files of several
 * tenants end up side by side in one import folder. Appended, so the columns finance tools already map stay put.
 */
export function invoiceCsv(doc: Record<string, unknown>, tenant: string): string {
  const head = ['invoiceKey', 'companyID', 'purchaseOrderNumber', ...COLUMNS, 'tenant', 'companyName', 'currency'];
  const items = Array.isArray(doc.items) ? (doc.items as Array<Record<string, unknown>>) : [];
  const lines = [head.map(cell).join(',')];
  for (const item of items) {
    lines.push([doc.invoiceKey, doc.companyID, doc.purchaseOrderNumber, ...COLUMNS.map((c) => item[c]), tenant, doc.companyName, doc.currency].map(cell).join(','));
  }
  lines.push(['', '', '', '', '', 'subtotal', '', '', '', doc.subtotal].map(cell).join(','));
  lines.push(['', '', '', '', '', 'tax', '', '', '', doc.tax].map(cell).join(','));
  lines.push(['', '', '', '', '', 'total', '', '', '', doc.total].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
