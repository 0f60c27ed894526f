/** The approval rule (issue 18): only an approved current version goes out; a changed draft carries no approval. */
import { describe, expect, it } from 'vitest';
import { approvalGate, checkDecision, documentVersion, type InvoiceDecision } from '../../../src/rules/invoice-approval.js';

const doc = { invoiceKey: 'inv-1-abc', companyID: 1, items: [{ billingItemID: 7, totalAmount: 10 }], total: 10 };
const changed = { ...doc, items: [{ billingItemID: 7, totalAmount: 12 }], total: 12 };
const v = documentVersion(doc);
const decided = (action: 'approved' | 'rejected', version = v): InvoiceDecision[] => [{ action, version, by: 'finance', at: '2026-12-01T10:00:00.000Z' }];

describe('invoice approval rule', () => {
  it('versions differ when an amount differs, and not otherwise', () => {
    expect(documentVersion(changed)).not.toBe(v);
    expect(documentVersion(JSON.parse(JSON.stringify(doc)))).toBe(v);
    expect(v).toMatch(/^[0-9a-f]{16}$/);
  });

  it('without requireApproval every draft may go out', () => {
    expect(approvalGate({ requireApproval: false, document: doc, decisions: undefined })).toEqual({ deliver: true, reason: 'approval-not-required' });
  });

  it('with requireApproval only an approved current version goes out', () => {
    expect(approvalGate({ requireApproval: true, document: doc, decisions: [] })).toMatchObject({ deliver: false, reason: 'awaiting-approval' });
    expect(approvalGate({ requireApproval: true, document: doc, decisions: decided('approved') })).toEqual({ deliver: true, reason: 'approved' });
    expect(approvalGate({ requireApproval: true, document: doc, decisions: decided('rejected') })).toMatchObject({ deliver: false, reason: 'rejected' });
    const stale = approvalGate({ requireApproval: true, document: changed, decisions: decided('approved') });
    expect(stale).toMatchObject({ deliver: false, reason: 'approved-version-stale' });
    if (!stale.deliver) expect(stale.detail).toContain(v);
    // The newest decision wins: approved, then rejected, is rejected.
    expect(approvalGate({ requireApproval: true, document: doc, decisions: [...decided('approved'), ...decided('rejected')] }).deliver).toBe(false);
  });

  it('refuses a decision on a stale version, on a delivered invoice, or while approval is off', () => {
    const base = { requireApproval: true, status: 'draft' as const, document: doc, invoiceKey: doc.invoiceKey, action: 'approved' as const };
    expect(checkDecision({ ...base, version: v })).toBe(null);
    expect(checkDecision({ ...base, version: documentVersion(changed) })?.code).toBe('INVOICE_VERSION_STALE');
    expect(checkDecision({ ...base, version: v, status: 'delivered' })?.code).toBe('INVOICE_NOT_DRAFT');
    expect(checkDecision({ ...base, version: v, requireApproval: false })?.code).toBe('INVOICE_APPROVAL_OFF');
  });
});
