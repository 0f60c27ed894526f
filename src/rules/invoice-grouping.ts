/**
 * Groups eligible billing items into invoice documents, one per (company, purchase order number) — the split
 * Autotask's own invoicing makes (docs/autotask-api.md#invoices: one invoice per PO number). The PO is the item's own
 * `purchaseOrderNumber`, copied at posting (docs/autotask-api.md#billing-items), not the contract's current one.
 *
 * Eligible = not invoiced (`invoiceID` null or 0, see isInvoiced), not exported (`webServiceDate` null — the mark integrations set) and
 * posted (`postedDate` set). Being a BillingItem already means approved and posted; a null `postedDate` contradicts
 * that, so such an item is left out rather than invoiced on a guess (reason `not-posted`).
 *
 * Built for a million items (issue 6: ≤ 1.5 s), where the cost is memory traffic more than arithmetic: a first
 * sequential pass keeps per item only typed-array entries (group, date as a sortable number, id) and adds amounts
 * as integer money units into the group; a counting sort by group and a numeric sort inside each group give every
 * item its final slot; a second sequential pass creates each document line once, straight into that slot. The
 * contract checks run per (invoice, contract), not per item. The result does not depend on the input order.
 *
 * A line's total is its extendedPrice + taxDollars, and the document's totals are the sums of its lines as printed
 * (each rounded to the currency first: docs/billing-items.md#printed-totals). Autotask's own `totalAmount` can
 * disagree (a real record has totalAmount 0 beside extendedPrice 386.645 and no tax); the document then still uses
 * price + tax, so lines and totals always agree, and TOTAL_AMOUNT_DIFFERS names the items.
 */
import { roundToCurrency, UNITS_PER_CURRENCY_UNIT, unitsToNumber } from '../lib/money.js';
import {
  buildGroupWarnings, checkContracts, collectInvoiceWarnings, ContractInfo, type ContractFindings, type GroupAccumulator,
  itemTotalDisagreement, totalDiffersWarnings, type TotalDisagreement,
} from './invoice-checks.js';
import {
  amount, amountValue, canonicalDateTime, dateSortKey, findDuplicateIds, isCanonicalDateTime, isInvoiced, readAmount,
} from './invoice-item-fields.js';
import { invoiceKey } from './invoice-key.js';
import { normalizePo } from './purchase-order.js';
import type { BillingItemLike, ContractLike, InvoiceDocument, InvoiceDocumentItem } from './invoice-types.js';
import { compareWarnings, makeWarning, type InvoiceWarning } from './invoice-warnings.js';
import { compilePoRules, firstMatchingRule, type PoRule } from './po-rules.js';
import { comparePo } from './purchase-order.js';

export type SkipReason = 'invoiced' | 'exported' | 'unreadable' | 'not-posted' | 'no-item-date' | 'missing-amount' | 'invalid-amount'
  | 'total-out-of-range' | 'duplicate-id';
export interface SkippedItem {
  billingItemID: number;
  reason: SkipReason;
  /** For `unreadable`: which field held what. */
  detail?: string;
}

export interface GroupingPolicy {
  /** `invoices.poPolicy.rules`: a contract matched by one should carry a PO (CONTRACT_MISSING_PO otherwise). */
  rules?: readonly PoRule[];
  /** Minor-unit decimals of the invoice currency (2 = cents); document totals are rounded to it. */
  currencyDecimals?: number;
}

export interface GroupInvoicesInput {
  items: readonly BillingItemLike[];
  contracts: readonly ContractLike[];
  policy?: GroupingPolicy;
  /** Only for the FUTURE_ITEM_DATE warning; the grouping itself does not depend on time. */
  now?: Date;
}

export interface GroupInvoicesResult {
  /** Ascending by company, then "no PO" first, then PO number. */
  invoices: InvoiceDocument[];
  warnings: InvoiceWarning[];
  /** Items left out and why, ascending by id. */
  skipped: SkippedItem[];
  counts: { items: number; eligible: number; skipped: number; invoices: number };
}

const MAX = Number.MAX_SAFE_INTEGER;

function line(item: BillingItemLike, itemDate: string): InvoiceDocumentItem {
  const extendedPrice = amountValue(item.extendedPrice as number);
  const taxDollars = amountValue(item.taxDollars ?? 0);
  // price + tax, in exact units (both have ≤ 4 decimals here), not Autotask's totalAmount: see the header.
  const totalAmount = unitsToNumber(Math.round(extendedPrice * UNITS_PER_CURRENCY_UNIT) + Math.round(taxDollars * UNITS_PER_CURRENCY_UNIT));
  return {
    billingItemID: item.id, itemDate, itemName: item.itemName ?? '', description: item.description ?? '',
    quantity: item.quantity ?? 0, rate: item.rate ?? 0, extendedPrice, taxDollars, totalAmount,
    contractID: item.contractID ?? null, ticketID: item.ticketID ?? null, timeEntryID: item.timeEntryID ?? null,
  };
}

function skipReason(item: BillingItemLike, duplicates: ReadonlySet<number>): SkipReason | null {
  if (isInvoiced(item)) return 'invoiced';
  // Null checks only: they do not touch the strings' memory (a million items are a cache-miss budget, not a CPU one).
  if (item.webServiceDate !== null && item.webServiceDate !== undefined) return 'exported';
  if (item.unreadable !== null && item.unreadable !== undefined) return 'unreadable';
  if (item.postedDate === null || item.postedDate === undefined) return 'not-posted';
  if (duplicates.size > 0 && duplicates.has(item.id)) return 'duplicate-id';
  if (item.extendedPrice === null || item.extendedPrice === undefined || item.totalAmount === null
    || item.totalAmount === undefined) return 'missing-amount';
  return null;
}

/**
 * Groups by company, then PO. A company has few PO numbers, so they are compared in a short list: cheaper than
 * hashing each item's freshly parsed PO string for a Map; a company with many POs gets a Map after all.
 */
interface CompanyGroups {
  list: GroupAccumulator[];
  map: Map<string | null, GroupAccumulator> | null;
}
const LIST_LIMIT = 8;

class GroupIndex {
  readonly groups: GroupAccumulator[] = [];
  readonly byCompany = new Map<number, CompanyGroups>();
  private last: GroupAccumulator | null = null;

  get(companyID: number, po: string | null, itemDate: string): GroupAccumulator {
    const last = this.last;
    if (last !== null && last.companyID === companyID && last.po === po) return last;
    let company = this.byCompany.get(companyID);
    if (company === undefined) { company = { list: [], map: null }; this.byCompany.set(companyID, company); }
    let group: GroupAccumulator | undefined;
    if (company.map !== null) group = company.map.get(po);
    else for (const candidate of company.list) if (candidate.po === po) { group = candidate; break; }
    if (group === undefined) {
      group = { index: this.groups.length, companyID, po, subtotal: 0, tax: 0, total: 0, printedSubtotal: 0, printedTax: 0, count: 0,
        minKey: Number.POSITIVE_INFINITY, maxKey: Number.NEGATIVE_INFINITY, minDate: itemDate, maxDate: itemDate,
        future: [] };
      this.groups.push(group);
      company.list.push(group);
      if (company.map !== null) company.map.set(po, group);
      else if (company.list.length > LIST_LIMIT) company.map = new Map(company.list.map((g) => [g.po, g]));
    }
    this.last = group;
    return group;
  }
}

export function groupInvoices(input: GroupInvoicesInput): GroupInvoicesResult {
  const decimals = input.policy?.currencyDecimals ?? 2;
  roundToCurrency(0, decimals); // rejects bad decimals before any work
  const items = input.items;
  const n = items.length;
  const nowKey = input.now ? dateSortKey(input.now.toISOString()) : Number.POSITIVE_INFINITY;
  const duplicates = findDuplicateIds(items);
  const skipped: SkippedItem[] = [];
  const roundedAmounts: number[] = [];
  const disagreements: TotalDisagreement[] = [];
  const otherDates = new Map<number, string>(); // item index → canonical date, for the rare non-canonical input
  const index = new GroupIndex();
  // Per eligible item, in input order: its group, its index in `items`, its date key and id.
  const groupOf = new Int32Array(n);
  const itemOf = new Int32Array(n);
  const dateKeys = new Float64Array(n);
  const idOf = new Float64Array(n);
  const contractOf = new Float64Array(n); // NaN = no contract
  let eligible = 0;

  for (let i = 0; i < n; i += 1) {
    const item = items[i] as BillingItemLike;
    const id = item.id;
    const reason = skipReason(item, duplicates);
    if (reason !== null) {
      skipped.push(reason === 'unreadable' ? { billingItemID: id, reason, detail: item.unreadable as string } : { billingItemID: id, reason });
      continue;
    }
    let itemDate = item.itemDate;
    if (itemDate === null || !isCanonicalDateTime(itemDate)) {
      itemDate = canonicalDateTime(itemDate);
      if (itemDate === null) { skipped.push({ billingItemID: id, reason: 'no-item-date' }); continue; }
      otherDates.set(i, itemDate);
    }
    if (!readAmount(item.extendedPrice as number)) { skipped.push({ billingItemID: id, reason: 'invalid-amount' }); continue; }
    const ext = amount.units; let rounded = amount.rounded;
    if (!readAmount(item.totalAmount as number)) { skipped.push({ billingItemID: id, reason: 'invalid-amount' }); continue; }
    const tot = amount.units; rounded ||= amount.rounded;
    if (!readAmount(item.taxDollars ?? 0)) { skipped.push({ billingItemID: id, reason: 'invalid-amount' }); continue; }
    const tax = amount.units; rounded ||= amount.rounded;

    const po = normalizePo(item.purchaseOrderNumber);
    const group = index.get(item.companyID, po, itemDate);
    // The document's total is price + tax (see the header), not Autotask's totalAmount.
    const subtotal = group.subtotal + ext; const taxSum = group.tax + tax; const total = group.total + ext + tax;
    // What the document prints (docs/billing-items.md#printed-totals): each line rounded, then summed.
    const printedSubtotal = group.printedSubtotal + roundToCurrency(ext, decimals);
    const printedTax = group.printedTax + roundToCurrency(tax, decimals);
    // Integers add exactly while every partial sum stays within ±2^53; past that, this item is set aside rather
    // than summed inexactly (and rather than stopping every other company's invoice: issue 14 item 3).
    if (subtotal > MAX || subtotal < -MAX || taxSum > MAX || taxSum < -MAX || total > MAX || total < -MAX
      || Math.abs(printedSubtotal) + Math.abs(printedTax) > MAX) {
      skipped.push({ billingItemID: id, reason: 'total-out-of-range' });
      continue;
    }
    if (rounded) roundedAmounts.push(id);
    group.subtotal = subtotal; group.tax = taxSum; group.total = total;
    group.printedSubtotal = printedSubtotal; group.printedTax = printedTax;
    const disagreement = itemTotalDisagreement(id, item.companyID, ext, tax, tot);
    if (disagreement !== null) disagreements.push(disagreement);
    const key = dateSortKey(itemDate);
    if (key < group.minKey) { group.minKey = key; group.minDate = itemDate; }
    if (key > group.maxKey) { group.maxKey = key; group.maxDate = itemDate; }
    if (key > nowKey) group.future.push(id);
    group.count += 1;
    groupOf[eligible] = group.index; itemOf[eligible] = i; dateKeys[eligible] = key; idOf[eligible] = id;
    contractOf[eligible] = item.contractID ?? Number.NaN;
    eligible += 1;
  }

  // Counting sort by group, then (date, id) inside each group: `slotOf[k]` is eligible item k's final position.
  const groups = index.groups;
  const starts = new Int32Array(groups.length + 1);
  for (let g = 0; g < groups.length; g += 1) starts[g + 1] = (starts[g] as number) + (groups[g] as GroupAccumulator).count;
  const fill = starts.slice(0, groups.length);
  const order = new Int32Array(eligible);
  for (let k = 0; k < eligible; k += 1) {
    const g = groupOf[k] as number;
    order[fill[g] as number] = k;
    fill[g] = (fill[g] as number) + 1;
  }
  const byDateThenId = (a: number, b: number): number =>
    (dateKeys[a] as number) - (dateKeys[b] as number) || (idOf[a] as number) - (idOf[b] as number);
  const slotOf = new Int32Array(eligible); // position inside the group's lines
  for (let g = 0; g < groups.length; g += 1) {
    const start = starts[g] as number;
    const end = starts[g + 1] as number;
    order.subarray(start, end).sort(byDateThenId);
    for (let s = start; s < end; s += 1) slotOf[order[s] as number] = s - start;
  }
  // Second sequential pass: each line is made once, in item order (cache-friendly), straight into its slot.
  const linesOf = groups.map((g) => new Array<InvoiceDocumentItem>(g.count));
  for (let k = 0; k < eligible; k += 1) {
    const i = itemOf[k] as number;
    const item = items[i] as BillingItemLike;
    (linesOf[groupOf[k] as number] as InvoiceDocumentItem[])[slotOf[k] as number] = line(item,
      otherDates.size > 0 ? otherDates.get(i) ?? (item.itemDate as string) : (item.itemDate as string));
  }

  const compiled = compilePoRules(input.policy?.rules ?? []);
  const contracts = new Map<number, ContractInfo>();
  for (const c of input.contracts) contracts.set(c.id, new ContractInfo(c, firstMatchingRule(compiled, c)?.rule.name ?? null));
  const findings: ContractFindings = { unknown: new Map() };
  const invoices: InvoiceDocument[] = [];
  const warnings: InvoiceWarning[] = [];
  for (const companyID of [...index.byCompany.keys()].sort((a, b) => a - b)) {
    const company = index.byCompany.get(companyID) as CompanyGroups;
    const built = [...company.list].sort((a, b) => comparePo(a.po, b.po)).map((group) => {
      const start = starts[group.index] as number;
      const end = starts[group.index + 1] as number;
      const lines = linesOf[group.index] as InvoiceDocumentItem[];
      const ids = new Float64Array(end - start);
      const contractIDs = new Float64Array(end - start);
      for (let s = start; s < end; s += 1) {
        const position = order[s] as number;
        ids[s - start] = idOf[position] as number;
        contractIDs[s - start] = contractOf[position] as number;
      }
      const doc: InvoiceDocument = {
        invoiceKey: invoiceKey(companyID, group.po, ids), companyID, purchaseOrderNumber: group.po,
        contractIDs: checkContracts(group, ids, contractIDs, contracts, findings),
        periodStart: group.minDate.slice(0, 10), periodEnd: group.maxDate.slice(0, 10), items: lines,
        subtotal: unitsToNumber(group.printedSubtotal),
        tax: unitsToNumber(group.printedTax),
        total: unitsToNumber(group.printedSubtotal + group.printedTax),
      };
      invoices.push(doc);
      return { group, doc };
    });
    warnings.push(...buildGroupWarnings(companyID, built, decimals));
  }

  warnings.push(...collectInvoiceWarnings({ contracts, unknownContracts: findings.unknown, roundedAmounts }));
  warnings.push(...totalDiffersWarnings(disagreements));
  if (duplicates.size > 0) {
    warnings.push(makeWarning('DUPLICATE_BILLING_ITEM',
      `${duplicates.size} billing item id(s) appear more than once in the input; every copy was left out`,
      { billingItemIDs: [...duplicates] }));
  }
  warnings.sort(compareWarnings);
  skipped.sort((a, b) => a.billingItemID - b.billingItemID || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return { invoices, warnings, skipped, counts: { items: n, eligible, skipped: skipped.length, invoices: invoices.length } };
}
