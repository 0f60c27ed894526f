/**
 * The approval step of invoicing (`invoices.requireApproval`, issue 18): a person approves one *version* of a draft,
 * and only that version is delivered and marked. The version is a digest of the whole document (items, amounts, PO,
 * period), so a draft that the next build changed — an item dropped because it was invoiced in Autotask, an amount
 * corrected — no longer carries the approval: the person approves what they saw, never what the data later became.
 * The invoiceKey alone is not enough: it covers the company, PO and item ids, not the amounts.
 */
import { createHash } from 'node:crypto';

export type InvoiceDecisionAction = 'approved' | 'rejected';

/** One decision of a person on one version of a draft; the record keeps all of them (the audit trail). */
export interface InvoiceDecision {
  action: InvoiceDecisionAction;
  version: string;
  by: string;
  at: string;
}

/** The digest of a document: 16 hex digits of SHA-256 over its JSON (key order as built, which is stable). */
export function documentVersion(document: unknown): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex').slice(0, 16);
}

/** The decision in force: the newest one. */
export function currentDecision(decisions: readonly InvoiceDecision[] | undefined): InvoiceDecision | null {
  return decisions && decisions.length > 0 ? decisions[decisions.length - 1]! : null;
}

export type ApprovalGate = { deliver: true; reason: 'approval-not-required' | 'approved' }
  | { deliver: false; reason: 'awaiting-approval' | 'rejected' | 'approved-version-stale'; detail: string };

/** May this draft, as built now, go out? Without requireApproval every draft may; with it only an approved current version. */
export function approvalGate(input: { requireApproval: boolean; document: unknown; decisions: readonly InvoiceDecision[] | undefined }): ApprovalGate {
  if (!input.requireApproval) return { deliver: true, reason: 'approval-not-required' };
  const decision = currentDecision(input.decisions);
  const version = documentVersion(input.document);
  if (decision === null) return { deliver: false, reason: 'awaiting-approval', detail: `version ${version} waits for a person's approval` };
  if (decision.action === 'rejected') {
    return { deliver: false, reason: 'rejected', detail: `rejected by ${decision.by} at ${decision.at} (version ${decision.version})` };
  }
  if (decision.version !== version) {
    return { deliver: false, reason: 'approved-version-stale', detail: `${decision.by} approved version ${decision.version} at ${decision.at}, ` +
      `but the draft has changed since (now version ${version}): approve it again to deliver it` };
  }
  return { deliver: true, reason: 'approved' };
}

export type DecisionRefusal = { code: 'INVOICE_NOT_DRAFT' | 'INVOICE_VERSION_STALE' | 'INVOICE_APPROVAL_OFF'; message: string };

/**
 * Whether a person's decision on `version` may be recorded. A stale version (the draft changed since the person
 * looked) is refused with both versions named; so is a decision on a delivered invoice (too late) or an approval
 * while approval is off (build-invoices delivers every draft by itself then).
 */
export function checkDecision(input: { requireApproval: boolean; status: 'draft' | 'delivered'; document: unknown; invoiceKey: string;
  version: string; action: InvoiceDecisionAction }): DecisionRefusal | null {
  if (!input.requireApproval) {
    return { code: 'INVOICE_APPROVAL_OFF', message: 'invoices.requireApproval is off: build-invoices delivers drafts without approval' };
  }
  if (input.status !== 'draft') return { code: 'INVOICE_NOT_DRAFT', message: `invoice ${input.invoiceKey} is already delivered` };
  const now = documentVersion(input.document);
  if (now !== input.version) {
    return { code: 'INVOICE_VERSION_STALE', message: `invoice ${input.invoiceKey} changed since it was shown (version ${input.version}, ` +
      `now ${now}): reload it, check it again and ${input.action === 'approved' ? 'approve' : 'reject'} the current version` };
  }
  return null;
}
