/**
 * The body of `build-invoices` (issue 6): PO policy → grouping → delivery → marking, from the tenant's store. With
 * `invoices.requireApproval` (issue 18) only drafts a person approved in their current version are delivered.
 * Autotask's API cannot create invoices (docs/autotask-api.md#invoices): this builds the documents Autotask's own UI
 * invoicing will produce (one per company and purchase order) and delivers them outside Autotask.
 */
import type { AppConfig } from '../../config/schema.js';
import type { AutotaskClient } from '../autotask/types.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { approvalGate, type ApprovalGate, type InvoiceDecision } from '../rules/invoice-approval.js';
import { groupInvoices, type GroupInvoicesResult, type SkippedItem } from '../rules/invoice-grouping.js';
import { describeLeft, type LeftItem } from '../rules/invoice-open-status.js';
import type { InvoiceDocument } from '../rules/invoice-types.js';
import { compareWarnings, makeWarning, type InvoiceWarning } from '../rules/invoice-warnings.js';
import { planPurchaseOrders, type PoWarning } from '../rules/po-policy.js';
import type { EntityStore } from '../store/entity-store.js';
import { readPullStatus } from '../store/pull-status.js';
import type { InvoiceStore, StoredInvoice } from '../store/invoice-store.js';
import type { InvoiceSink } from '../sinks/invoice-sink.js';
import { deliverInvoices, type DeliveryOutcome } from './invoice-delivery.js';
import { markDelivered, type MarkOutcome } from './invoice-marks.js';
import { labelDocument, readInvoiceLabels } from './invoice-labels.js';
import { itemsThatLeft } from './invoice-recheck.js';
import { reconcileDelivered } from './invoice-reconcile.js';
import { trimDeliveredInvoices, type RetentionOutcome } from './invoice-retention.js';
import type { ReconciliationFinding } from '../rules/invoice-reconciliation.js';
import { applyPurchaseOrders, type PoOutcome } from './purchase-orders.js';

export interface BuildInvoicesDeps {
  client: AutotaskClient;
  store: EntityStore;
  invoices: InvoiceStore<InvoiceDocument, InvoiceWarning>;
  settings: AppConfig['invoices'];
  sinks: readonly InvoiceSink[];
  logger: Logger;
  dryRun: boolean;
  signal: AbortSignal;
  now: () => Date;
  /** store.retentionDays: delivered invoices that can no longer be written again go after this (docs/store-bounds.md#retention). */
  retentionDays: number;
  /** Told, before delivering and marking starts, how many Autotask writes (one PATCH per item) the rest needs. */
  onWritesPlanned?: (requests: number) => Promise<void>;
}

export interface BuildInvoicesResult {
  poUpdates: PoOutcome[];
  poWarnings: PoWarning[];
  documents: InvoiceDocument[];
  warnings: InvoiceWarning[];
  skipped: number;
  /** Every item left off the documents, with why (issue 14 item 4). */
  skippedItems: SkippedItem[];
  /** Items of the documents that had left the open set when re-read before delivery: dropped, with why. */
  leftOpenSet: LeftItem[];
  deliveries: DeliveryOutcome[];
  marks: MarkOutcome;
  /** In a dry run: the invoices that would be delivered and the billing items that would be marked. */
  wouldDeliver: string[];
  wouldMark: number[];
  /** Autotask invoices that mix PO numbers, delivered PO groups split across Autotask invoices. */
  reconciliation: ReconciliationFinding[];
  /** With invoices.requireApproval: the drafts held back, each with why (awaiting, rejected, approved version stale). */
  heldForApproval: Array<{ invoiceKey: string; reason: Exclude<ApprovalGate, { deliver: true }>['reason']; detail: string }>;
  /** Delivered invoices dropped by retention this run (with their ledger fields). */
  retention: RetentionOutcome;
}

type Stored = StoredInvoice<InvoiceDocument, InvoiceWarning>;

/** The store may hold only part of the open billing items: nothing is built or delivered from it. */
export class IncompletePullError extends AppError {
  constructor(startedAt: string | null) {
    super('INVOICE_PULL_INCOMPLETE', startedAt === null
      ? 'refusing to build invoices: no billing-item pull has completed yet; run sync-billing-items first'
      : `refusing to build invoices: the last billing-item pull (started ${startedAt}) did not complete, so the store may hold ` +
        'only part of the open items; run sync-billing-items until it completes', { details: { startedAt } });
  }
}

export async function buildInvoices(deps: BuildInvoicesDeps, options: { deliver: boolean }): Promise<BuildInvoicesResult> {
  const pull = await readPullStatus(deps.store, 'BillingItems');
  if (pull?.state !== 'complete') throw new IncompletePullError(pull?.startedAt ?? null);
  const now = deps.now();
  const contracts = await deps.store.all('Contracts');
  const plan = planPurchaseOrders({ contracts, rules: deps.settings.poPolicy.rules, agreementKey: deps.settings.poPolicy.agreementKey, now });
  const poUpdates = await applyPurchaseOrders(deps.client, deps.store, plan.updates, { dryRun: deps.dryRun, signal: deps.signal });

  // Items that already went out on an invoice stay with it; only the rest are grouped.
  // Only the open items are looked up (HMGET), never the whole ledger: it holds every item delivered within the
  // retention period (docs/store-bounds.md), far more than are open.
  const open = await deps.store.all('BillingItems');
  const bound = await deps.invoices.deliveredItems(open.map((item) => item.id));
  const items = open.filter((item) => !bound.has(item.id));
  // A PO PATCH (or a number changed by hand meanwhile) updated the stored contracts; only then read them again.
  const changed = poUpdates.some((u) => u.status !== 'would-update');
  const current = changed ? await deps.store.all('Contracts') : contracts;
  const group = (from: typeof items): GroupInvoicesResult => groupInvoices({ items: from, contracts: current,
    policy: { rules: deps.settings.poPolicy.rules, currencyDecimals: deps.settings.currencyDecimals }, now });
  let grouping = group(items);
  // The store is as old as the last pull. Before anything goes out, re-read the documents' items: one invoiced in
  // the UI (or exported, or un-posted) since then would otherwise be billed twice (docs/billing-items.md "Open set").
  const delivering = options.deliver && deps.sinks.length > 0;
  const left = delivering ? await itemsThatLeft(deps.client, grouping.invoices.flatMap((d) => d.items.map((i) => i.billingItemID)), deps.signal) : [];
  if (left.length > 0) {
    const gone = new Set(left.map((l) => l.billingItemID));
    const before = grouping.invoices;
    grouping = group(items.filter((item) => !gone.has(item.id)));
    const leftWarnings = before.flatMap((doc) => {
      const ids = new Set(doc.items.map((i) => i.billingItemID));
      const dropped = left.filter((l) => ids.has(l.billingItemID));
      if (dropped.length === 0) return [];
      const after = grouping.invoices.find((d) => d.companyID === doc.companyID && d.purchaseOrderNumber === doc.purchaseOrderNumber);
      return [makeWarning('ITEMS_LEFT_OPEN_SET', `${dropped.length} billing item(s) left the open set in Autotask since the last pull and ` +
        `were dropped from this invoice: ${describeLeft(dropped)}`, { companyID: doc.companyID, billingItemIDs: dropped.map((l) => l.billingItemID),
        invoiceKeys: after ? [after.invoiceKey] : [], purchaseOrderNumbers: [doc.purchaseOrderNumber] })];
    });
    grouping.warnings.push(...leftWarnings);
    grouping.warnings.sort(compareWarnings);
    deps.logger.warn({ billingItemIDs: [...gone] }, `billing items left the open set since the last pull, dropped before delivery: ${describeLeft(left)}`);
    if (!deps.dryRun) await deps.store.remove('BillingItems', [...gone]);
  }
  // Names and currencies go into the documents before they are saved or approved: they are part of what is approved.
  if (grouping.invoices.length > 0) {
    const labels = await readInvoiceLabels(deps.client, [...new Set(grouping.invoices.map((d) => d.companyID))], deps.signal, deps.logger);
    grouping.invoices = grouping.invoices.map((d) => labelDocument(d, labels.get(d.companyID)));
  }
  if (grouping.skipped.length > 0) {
    deps.logger.warn({ skipped: grouping.skipped.slice(0, 100) }, `${grouping.skipped.length} billing item(s) left off the invoices: ` +
      grouping.skipped.slice(0, 20).map((i) => `${i.billingItemID} ${i.reason}${i.detail ? ` (${i.detail})` : ''}`).join('; '));
  }
  const warningsFor = (doc: InvoiceDocument): InvoiceWarning[] => grouping.warnings.filter((w) =>
    w.invoiceKeys.includes(doc.invoiceKey) || (w.invoiceKeys.length === 0 && w.companyID === doc.companyID));

  const result: BuildInvoicesResult = { poUpdates, poWarnings: plan.warnings, documents: grouping.invoices,
    warnings: grouping.warnings, skipped: grouping.counts.skipped, skippedItems: grouping.skipped, leftOpenSet: left, deliveries: [],
    marks: { marked: [], alreadyMarked: [], missing: [], invoiced: [] }, wouldDeliver: [], wouldMark: [], heldForApproval: [],
    retention: { dropped: 0, deferred: 0 },
    reconciliation: await reconcileDelivered({ client: deps.client, store: deps.store, invoices: deps.invoices, signal: deps.signal, now, dryRun: deps.dryRun }) };
  // With invoices.requireApproval, a draft goes out only when a person approved exactly this version of it
  // (src/rules/invoice-approval.ts): a draft this build changed carries no approval.
  const decisions = deps.settings.requireApproval ? await deps.invoices.decisions(grouping.invoices.map((d) => d.invoiceKey)) : new Map();
  const approved = grouping.invoices.filter((doc) => {
    const gate = approvalGate({ requireApproval: deps.settings.requireApproval, document: doc,
      decisions: decisions.get(doc.invoiceKey) as InvoiceDecision[] | undefined });
    if (!gate.deliver) result.heldForApproval.push({ invoiceKey: doc.invoiceKey, reason: gate.reason, detail: gate.detail });
    return gate.deliver;
  });
  if (deps.dryRun) {
    if (options.deliver && deps.sinks.length > 0) {
      result.wouldDeliver = approved.map((d) => d.invoiceKey);
      if (deps.settings.markExported) result.wouldMark = approved.flatMap((d) => d.items.map((i) => i.billingItemID));
    }
    return result;
  }

  await deps.invoices.saveSkipped(grouping.skipped, now);
  const drafts: Stored[] = [];
  const deliverable = new Set(approved.map((d) => d.invoiceKey));
  for (const doc of grouping.invoices) {
    const record = await deps.invoices.saveDraft(doc, warningsFor(doc), now);
    if (deliverable.has(doc.invoiceKey)) drafts.push(record);
  }
  const boundKeys = new Set(bound.values());
  await deps.invoices.removeDrafts(new Set([...boundKeys, ...grouping.invoices.map((d) => d.invoiceKey)]));

  const markDeps = { client: deps.client, invoices: deps.invoices, store: deps.store, signal: deps.signal, now: deps.now };
  const addMarks = (outcome: MarkOutcome): void => {
    result.marks.marked.push(...outcome.marked);
    result.marks.alreadyMarked.push(...outcome.alreadyMarked);
    result.marks.missing.push(...outcome.missing);
    result.marks.invoiced.push(...outcome.invoiced);
    for (const key of new Set(outcome.invoiced.map((i) => i.invoiceKey))) {
      const ids = outcome.invoiced.filter((i) => i.invoiceKey === key);
      const message = `delivered invoice ${key}: ${ids.length} item(s) are on an Autotask invoice and were not marked: ` +
        ids.map((i) => `${i.billingItemID} (Autotask invoice ${i.invoiceID})`).join(', ');
      result.warnings.push(makeWarning('DELIVERED_ITEMS_INVOICED', message, { billingItemIDs: ids.map((i) => i.billingItemID), invoiceKeys: [key] }));
      deps.logger.warn({ invoiceKey: key, billingItemIDs: ids.map((i) => i.billingItemID) }, message);
    }
  };
  // First the delivered invoices an earlier attempt did not finish marking.
  const unmarked = deps.settings.markExported ? await deps.invoices.listUnmarked() : [];
  if (deps.onWritesPlanned && deps.settings.markExported) {
    const toDeliver = options.deliver && deps.sinks.length > 0 ? drafts.reduce((n, r) => n + r.document.items.length, 0) : 0;
    await deps.onWritesPlanned(unmarked.reduce((n, r) => n + r.document.items.length, 0) + toDeliver);
  }
  if (deps.settings.markExported) addMarks(await markDelivered(markDeps, unmarked));

  if (options.deliver && deps.sinks.length > 0) {
    // Then what an earlier attempt started delivering (items bound, a sink still missing), then the new ones. Each
    // invoice is marked as soon as it is delivered, so the window in which a delivered invoice is unmarked is short.
    const unfinished = (await deps.invoices.list('draft')).filter((r) => boundKeys.has(r.invoiceKey));
    result.deliveries = await deliverInvoices({ invoices: deps.invoices, sinks: deps.sinks, logger: deps.logger, signal: deps.signal, now: deps.now,
      onComplete: async (invoiceKey) => {
        const record = await deps.invoices.get(invoiceKey);
        if (deps.settings.markExported && record) addMarks(await markDelivered(markDeps, [record]));
      } }, [...unfinished, ...drafts]);
  } else if (options.deliver) {
    deps.logger.warn('no invoice sink is configured (invoices.fileSink is off and INVOICE_WEBHOOK_URL is unset): documents stay drafts');
  }
  // Last, after this run's marks removed the items they exported from the open set: a bounded batch per run.
  result.retention = await trimDeliveredInvoices({ invoices: deps.invoices, store: deps.store, retentionDays: deps.retentionDays,
    markExported: deps.settings.markExported, now: deps.now() });
  return result;
}
