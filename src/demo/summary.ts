/**
 * The demo's summary, read at a glance (issue 9): per customer the invoices per purchase order with item counts
 * and exact totals; each problem with its incidents; the time entries pushed. Pure formatting of plain data.
 */
import { formatUnits, toUnits } from '../lib/money.js';
import { plural } from '../lib/plural.js';

export interface SummaryInvoice { companyID: number; purchaseOrderNumber: string | null; items: number; total: number; status: string; contractIDs: number[] }
export interface SummaryProblem { id: number; ticketNumber: string | null; title: string; companyID: number | null; incidents: Array<{ id: number; ticketNumber: string | null }>; createdByRun: boolean }
export interface SummaryTimeEntry { timeEntryId: number; ticketNumber: string | null; resourceName: string; hours: number; summary: string }

export interface DemoSummary {
  companies: Map<number, string>;
  invoices: SummaryInvoice[];
  problems: SummaryProblem[];
  timeEntries: SummaryTimeEntry[];
  urls: { console: string; dashboard: string; metrics: string; api: string };
  /** Where the file sink wrote the invoice documents (absolute). */
  invoiceDir: string;
  adminToken: string;
  seconds: number;
}

/** `once`: the server stops right after the summary, so no link to it is printed (it would lead nowhere). */
export function formatSummary(s: DemoSummary, options: { once?: boolean } = {}): string {
  const name = (id: number | null): string => (id === null ? 'unknown company' : s.companies.get(id) ?? `company ${id}`);
  const lines: string[] = [];
  lines.push(`\nInvoices by purchase order (${plural(s.invoices.length, 'invoice')}, ${plural(s.invoices.reduce((n, i) => n + i.items, 0), 'billing item')})`);
  const byCompany = new Map<number, SummaryInvoice[]>();
  for (const invoice of s.invoices) byCompany.set(invoice.companyID, [...(byCompany.get(invoice.companyID) ?? []), invoice]);
  for (const [companyID, invoices] of [...byCompany].sort((a, b) => name(a[0]).localeCompare(name(b[0])))) {
    lines.push(`  ${name(companyID)}`);
    for (const i of invoices.sort((a, b) => (a.purchaseOrderNumber ?? '').localeCompare(b.purchaseOrderNumber ?? ''))) {
      const po = i.purchaseOrderNumber === null ? '(no PO)' : `PO ${i.purchaseOrderNumber}`;
      lines.push(`    ${po.padEnd(22)} ${plural(i.items, 'item').padStart(10)}  ${formatUnits(toUnits(i.total)).padStart(12)}  ` +
        `${plural(i.contractIDs.length, 'contract')}  ${i.status}`);
    }
  }
  lines.push(`\nProblems and incidents (${s.problems.length})`);
  for (const p of s.problems) {
    const incidents = p.incidents.map((t) => t.ticketNumber ?? `#${t.id}`);
    lines.push(`  ${p.ticketNumber ?? `#${p.id}`} ${p.title} — ${name(p.companyID)}${p.createdByRun ? ' (new)' : ''}`);
    lines.push(`    ${plural(incidents.length, 'incident')}: ${incidents.slice(0, 8).join(', ')}${incidents.length > 8 ? ', …' : ''}`);
  }
  lines.push(`\nTime entries pushed (${s.timeEntries.length})`);
  for (const t of s.timeEntries) {
    lines.push(`  #${t.timeEntryId} ${t.ticketNumber ?? ''} ${t.resourceName}: ${t.hours} h — ${t.summary}`);
  }
  lines.push(`\nDone in ${s.seconds.toFixed(1)} s.`);
  lines.push(`Invoice files: ${s.invoiceDir} (one JSON document per invoice)`);
  if (options.once) {
    lines.push('The demo server has stopped (--once). Run `autotask-sync demo` without --once to browse the console, the dashboard and the API.');
  } else {
    lines.push(`Console:   ${s.urls.console} (sign in with the admin token ${s.adminToken})`);
    lines.push(`Dashboard: ${s.urls.dashboard}?token=${s.adminToken}`);
    lines.push(`Metrics:   ${s.urls.metrics}`);
    lines.push(`API:       ${s.urls.api} (Authorization: Bearer ${s.adminToken})`);
  }
  return lines.join('\n');
}
