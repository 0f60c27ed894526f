/**
 * The console's Invoices page (issue 18): per tenant, the drafts of the next invoicing run and what was delivered,
 * per company and PO, with their warnings; the items the last run left off, each with its reason; and, with
 * `invoices.requireApproval`, the approve / reject buttons. Each button carries the version of the draft the person
 * is looking at, so a draft that a build changed meanwhile is refused, not approved blind.
 */
import type { InvoiceListing, RuntimeCommands } from '../../runtime/commands/index.js';
import { html, postButton, type SafeHtml } from './html.js';

const SKIP_REASONS: Record<string, string> = {
  invoiced: 'already on an Autotask invoice',
  exported: 'already marked exported (webServiceDate set)',
  unreadable: 'a field could not be read exactly',
  'not-posted': 'not posted in Autotask yet',
  'no-item-date': 'no item date',
  'missing-amount': 'no amount',
  'invalid-amount': 'amount beyond the exact range',
  'total-out-of-range': 'the invoice total would leave the exact range',
  'duplicate-id': 'the same billing item id twice',
};

type Doc = Record<string, unknown>;
interface Decision { action: string; version: string; by: string; at: string }
interface Gate { deliverable: boolean; reason: string; detail: string | null }

function when(iso: unknown): string {
  return typeof iso === 'string' && iso.length >= 19 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';
}
function money(value: unknown, decimals: number): string {
  return typeof value === 'number' ? value.toFixed(decimals) : '—';
}

function company(d: Doc): SafeHtml {
  const name = typeof d.companyName === 'string' && d.companyName ? d.companyName : null;
  return name ? html`${name}<br><span class="muted">id ${String(d.companyID)}</span>` : html`${String(d.companyID)}`;
}

function currency(d: Doc): SafeHtml {
  return typeof d.currency === 'string' && d.currency ? html`${d.currency}` : html`<span class="muted" title="not known: see docs/console.md">—</span>`;
}

function approvalCell(tenant: string, d: Doc, csrf: string, requireApproval: boolean): SafeHtml {
  const decisions = (Array.isArray(d.decisions) ? d.decisions : []) as Decision[];
  const last = decisions[decisions.length - 1];
  if (d.status === 'delivered') {
    const approvedBy = [...decisions].reverse().find((x) => x.action === 'approved');
    return approvedBy ? html`<span class="ok">approved</span> by ${approvedBy.by} ${when(approvedBy.at)}` : html`<span class="muted">not required</span>`;
  }
  if (!requireApproval) return html`<span class="muted">not required: the next run delivers it</span>`;
  const gate = d.approval as Gate | null;
  const key = String(d.invoiceKey);
  const fields = { tenant, key, version: String(d.version) };
  const buttons = [postButton('/console/invoices/approve', 'approve', csrf, fields), ' ',
    postButton('/console/invoices/reject', 'reject', csrf, fields)];
  if (gate?.deliverable) {
    return html`<span class="ok">approved</span> by ${last?.by ?? '?'} ${when(last?.at)}<br><span class="muted">delivered by the queued run</span>`;
  }
  if (gate?.reason === 'rejected') return html`<span class="bad">rejected</span> by ${last?.by ?? '?'} ${when(last?.at)}<br>${buttons[0]}`;
  if (gate?.reason === 'approved-version-stale') return html`<span class="warn">changed since approval</span><br><span class="muted">${gate.detail ?? ''}</span><br>${buttons}`;
  return html`<span class="warn">awaiting approval</span> <span class="muted">version ${String(d.version)}</span><br>${buttons}`;
}

function documentRow(tenant: string, d: Doc, decimals: number, csrf: string, requireApproval: boolean): SafeHtml {
  const key = String(d.invoiceKey);
  const q = `tenant=${encodeURIComponent(tenant)}&key=${encodeURIComponent(key)}`;
  const warnings = Array.isArray(d.warnings) ? (d.warnings as Array<{ code: string; message: string }>) : [];
  return html`<tr data-key="${key}" data-version="${String(d.version)}"><td class="company" data-company-id="${String(d.companyID)}">${company(d)}</td>
<td>${d.purchaseOrderNumber === null ? html`<span class="muted">(none)</span>` : String(d.purchaseOrderNumber)}</td>
<td class="contracts">${(Array.isArray(d.contracts) ? d.contracts as Array<{ id: number; name: string | null }> : [])
    .map((c, i) => html`${i > 0 ? html`<br>` : ''}${c.name ?? ''} <span class="muted">${c.id}</span>`)}</td><td class="num">${Array.isArray(d.items) ? d.items.length : 0}</td>
<td class="num subtotal">${money(d.subtotal, decimals)}</td><td class="num tax">${money(d.tax, decimals)}</td><td class="num total">${money(d.total, decimals)}</td>
<td class="currency">${currency(d)}</td><td>${String(d.periodStart ?? '')} – ${String(d.periodEnd ?? '')}</td>
<td>${warnings.length ? html`<ul>${warnings.map((w) => html`<li><code>${w.code}</code> ${w.message}</li>`)}</ul>` : html`<span class="muted">none</span>`}</td>
<td class="approval">${approvalCell(tenant, d, csrf, requireApproval)}</td>
<td><a href="/console/invoices/document.json?${q}">JSON</a> · <a href="/console/invoices/document.csv?${q}">CSV</a></td></tr>`;
}

function skippedTable(tenant: string, skipped: InvoiceListing['skipped']): SafeHtml {
  if (skipped === null) return html`<p class="muted">${tenant}: no build-invoices run yet, so nothing skipped to show.</p>`;
  return html`<h2>${tenant}: items left off by the run of ${when(skipped.builtAt)} (${skipped.count})</h2>
<table class="skipped" id="skipped-${tenant}"><thead><tr><th>billing item</th><th>reason</th><th>detail</th></tr></thead><tbody>
${skipped.items.map((i) => html`<tr data-item="${i.billingItemID}"><td>${i.billingItemID}</td><td><code>${i.reason}</code> ${SKIP_REASONS[i.reason] ?? ''}</td>
<td>${i.detail ?? ''}</td></tr>`)}</tbody></table>`;
}

function poPolicyTable(tenant: string, policy: InvoiceListing['poPolicy']): SafeHtml {
  if (policy.updates.length === 0 && policy.warnings.length === 0) return html``;
  return html`<h2>${tenant}: PO numbers the policy would set (${policy.updates.length})</h2>
<table class="po-policy" id="po-policy-${tenant}"><thead><tr><th>contract</th><th>company</th><th>PO now</th><th>PO to set</th><th>rule</th><th>why</th></tr></thead><tbody>
${policy.updates.map((u) => html`<tr data-contract="${u.contractID}"><td>${u.contractName ?? ''} <span class="muted">${u.contractID}</span></td>
<td>${u.companyID ?? '—'}</td><td>${u.from ?? html`<span class="muted">(none)</span>`}</td><td class="po-to">${u.to}</td><td>${u.rule}</td><td>${u.reason}</td></tr>`)}
</tbody></table>${policy.warnings.length ? html`<ul class="po-warnings">${policy.warnings.map((w) => html`<li><code>${w.code}</code> ${w.message}</li>`)}</ul>` : ''}`;
}

export async function invoicesPage(commands: RuntimeCommands, decimals: number, csrf: string): Promise<SafeHtml> {
  const sections: SafeHtml[] = [];
  let requireApproval = false;
  for (const tenant of commands.tenantIds()) {
    const listing = await commands.listInvoices({ tenant });
    requireApproval = listing.requireApproval;
    for (const status of ['draft', 'delivered'] as const) {
      const docs = listing.invoices.filter((d) => d.status === status);
      sections.push(html`<h2>${tenant}: ${status === 'draft' ? 'drafts (next invoicing run)' : 'delivered'} (${docs.length})</h2>
<table class="invoices ${status}" id="${status}-${tenant}"><thead><tr><th>company</th><th>PO number</th><th>contracts</th><th class="num">items</th>
<th class="num">subtotal</th><th class="num">tax</th><th class="num">total</th><th>currency</th><th>period</th><th>warnings</th><th>approval</th><th>download</th></tr></thead><tbody>
${docs.map((d) => documentRow(tenant, d, decimals, csrf, listing.requireApproval))}</tbody></table>`);
    }
    sections.push(poPolicyTable(tenant, listing.poPolicy), skippedTable(tenant, listing.skipped));
  }
  return html`<p>Amounts rounded to ${decimals} decimals (invoices.currencyDecimals), in the currency shown per document (the
company's Autotask currency, else the tenant's internal one). The PO number column is the purchase order the items carry
(one invoice per company and PO); "PO numbers the policy would set" lists the contracts the next run gives one (invoices.poPolicy).
${requireApproval ? 'Approval is on (invoices.requireApproval): a draft is delivered and its items marked only after it is approved here.'
    : 'Approval is off: the next build-invoices run delivers every draft.'}</p>${sections}`;
}
