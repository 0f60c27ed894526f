/**
 * The invoice documents build-invoices made (GET /api/invoices), with their warnings and deliveries, and the
 * approval step (`invoices.requireApproval`, issue 18): a person approves or rejects one version of a draft; an
 * approval enqueues build-invoices, which delivers and marks that draft only if it still is that version
 * (src/rules/invoice-approval.ts). Repeating an approval records nothing new and never delivers twice.
 */
import { approvalGate, checkDecision, currentDecision, documentVersion, type ApprovalGate, type InvoiceDecision,
  type InvoiceDecisionAction } from '../../rules/invoice-approval.js';
import type { SkippedItem } from '../../rules/invoice-grouping.js';
import { planPurchaseOrders, type PoUpdate, type PoWarning } from '../../rules/po-policy.js';
import { enqueueJob } from '../enqueue.js';
import { enqueueDepsOf, type CommandContext } from './context.js';

export interface InvoiceListing {
  tenant: string;
  count: number;
  /** invoices.requireApproval: drafts wait for a person's approval before they are delivered. */
  requireApproval: boolean;
  invoices: Array<Record<string, unknown>>;
  /** Items the last build-invoices run left off every document, each with its reason; null before the first run. */
  skipped: { builtAt: string; count: number; items: SkippedItem[] } | null;
  /**
   * The PO numbers invoices.poPolicy would set on the pulled contracts now (the next build-invoices run sets them),
   * with the contract's name and company, and the policy's warnings. Empty once the run has set them.
   */
  poPolicy: { updates: Array<PoUpdate & { contractName: string | null; companyID: number | null }>; warnings: PoWarning[] };
}

export type InvoiceDecisionAnswer =
  | { ok: true; tenant: string; invoiceKey: string; version: string; action: InvoiceDecisionAction;
    /** The same decision was already recorded: nothing new written. */
    repeated: boolean; alreadyDelivered: boolean; jobId?: string }
  | { ok: false; error: string; message: string };

export interface InvoiceCommands {
  listInvoices(request: { tenant?: string | undefined; status?: 'draft' | 'delivered' | undefined }): Promise<InvoiceListing>;
  /** Approve or reject one version of a draft; `by` names the person for the audit trail. */
  decideInvoice(request: { tenant?: string | undefined; invoiceKey: string; version: string; action: InvoiceDecisionAction; by: string }):
  Promise<InvoiceDecisionAnswer>;
}

function gateView(gate: ApprovalGate): { deliverable: boolean; reason: string; detail: string | null } {
  return { deliverable: gate.deliver, reason: gate.reason, detail: gate.deliver ? null : gate.detail };
}

export async function listInvoices(ctx: CommandContext, request: { tenant?: string | undefined; status?: 'draft' | 'delivered' | undefined }): Promise<InvoiceListing> {
  const scope = ctx.services.tenants.get(ctx.services.tenants.resolve(request.tenant));
  const requireApproval = ctx.services.config.invoices.requireApproval;
  const records = await scope.invoices.list(request.status);
  const decisions = await scope.invoices.decisions(records.map((r) => r.invoiceKey));
  const skipped = await scope.invoices.lastSkipped<SkippedItem>();
  // Contract names for people, from the pulled contracts (a listing shows them; the document keeps the ids).
  const contractIds = [...new Set(records.flatMap((r) => (r.document as { contractIDs?: number[] }).contractIDs ?? []))];
  const contracts = await scope.entities.getMany('Contracts', contractIds);
  const { poPolicy: policy } = ctx.services.config.invoices;
  const pulled = policy.rules.length > 0 ? await scope.entities.all('Contracts') : [];
  const plan = planPurchaseOrders({ contracts: pulled, rules: policy.rules, agreementKey: policy.agreementKey, now: ctx.services.now() });
  const byId = new Map(pulled.map((c) => [c.id, c]));
  return {
    tenant: scope.tenant.id,
    count: records.length,
    requireApproval,
    invoices: records.map((r) => {
      const mine = (decisions.get(r.invoiceKey) ?? []) as InvoiceDecision[];
      return { ...r.document, status: r.status, warnings: r.warnings, deliveries: r.deliveries,
        builtAt: r.builtAt, deliveredAt: r.deliveredAt, markedAt: r.markedAt ?? null,
        version: documentVersion(r.document), decisions: mine,
        contracts: ((r.document as { contractIDs?: number[] }).contractIDs ?? []).map((id) => ({ id, name: contracts.get(id)?.contractName ?? null })),
        approval: r.status === 'draft' ? gateView(approvalGate({ requireApproval, document: r.document, decisions: mine })) : null };
    }),
    skipped: skipped === null ? null : { builtAt: skipped.builtAt, count: skipped.items.length, items: skipped.items },
    poPolicy: { warnings: plan.warnings, updates: plan.updates.map((u) => ({ ...u, contractName: byId.get(u.contractID)?.contractName ?? null,
      companyID: byId.get(u.contractID)?.companyID ?? null })) },
  };
}

export async function decideInvoice(ctx: CommandContext, request: Parameters<InvoiceCommands['decideInvoice']>[0]): Promise<InvoiceDecisionAnswer> {
  const scope = ctx.services.tenants.get(ctx.services.tenants.resolve(request.tenant));
  const tenant = scope.tenant.id;
  const { invoiceKey, version, action, by } = request;
  const record = await scope.invoices.get(invoiceKey);
  if (!record) return { ok: false, error: 'INVOICE_NOT_FOUND', message: `no invoice ${invoiceKey} in tenant ${tenant} (a newer build may have replaced it: reload)` };
  const current = currentDecision((await scope.invoices.decisions([invoiceKey])).get(invoiceKey) as InvoiceDecision[] | undefined);
  const repeated = current !== null && current.action === action && current.version === version;
  // An approval repeated after its delivery (a double click, a retried request) is answered, not refused.
  if (record.status === 'delivered' && repeated && action === 'approved') {
    return { ok: true, tenant, invoiceKey, version, action, repeated: true, alreadyDelivered: true };
  }
  const refusal = checkDecision({ requireApproval: ctx.services.config.invoices.requireApproval, status: record.status,
    document: record.document, invoiceKey, version, action });
  if (refusal) return { ok: false, error: refusal.code, message: refusal.message };
  if (!repeated) {
    const at = ctx.services.now().toISOString();
    await scope.invoices.recordDecision(invoiceKey, { action, version, by, at });
    // The audit line: who decided what about which version, also kept in the decisions ledger.
    ctx.services.logger.info({ audit: 'invoice-decision', tenant, invoiceKey, version, action, by, at }, `invoice ${invoiceKey} version ${version} ${action} by ${by}`);
  }
  if (action === 'rejected') return { ok: true, tenant, invoiceKey, version, action, repeated, alreadyDelivered: false };
  const job = await enqueueJob(enqueueDepsOf(ctx), { name: 'build-invoices', tenant, data: { deliver: true, approved: `${invoiceKey}@${version}` } });
  return { ok: true, tenant, invoiceKey, version, action, repeated, alreadyDelivered: false, jobId: job.jobId };
}
