/**
 * The consistency checks of the invoice grouping, kept apart from the hot loop: they run per company, per group or
 * per contract, and only allocate where something is off.
 */
import { formatUnits, unitsToNumber, type MoneyUnits } from '../lib/money.js';
import type { ContractLike, InvoiceDocument } from './invoice-types.js';
import { makeWarning, quotePo, type InvoiceWarning, type WarningIds } from './invoice-warnings.js';
import { canonicalPo, comparePo, normalizePo, spellPo, visiblePo } from './purchase-order.js';

/** A group being built: one (company, PO) pair. Amounts are integer money units (src/lib/money.ts). */
export interface GroupAccumulator {
  /** Position in creation order (indexes the grouping's typed arrays). */
  index: number;
  companyID: number;
  po: string | null;
  /** Exact sums in units (for TOTAL_ROUNDED). */
  subtotal: number;
  tax: number;
  total: number;
  /** Sums of the lines' amounts and taxes each rounded to the currency: what the document prints. */
  printedSubtotal: number;
  printedTax: number;
  /** Eligible items in the group. */
  count: number;
  /** Earliest and latest item date, as sort keys and as the canonical strings. */
  minKey: number;
  maxKey: number;
  minDate: string;
  maxDate: string;
  /** Items dated after `now`. */
  future: number[];
}

/** What the checks need of one contract, and what they gather about its items. */
export class ContractInfo {
  readonly id: number;
  readonly companyID: number;
  /** The contract's current PO, normalised (trimmed, "" = null). */
  readonly po: string | null;
  /** The PO-policy rule that says this PO-less contract should have a number; null when it has one or none applies. */
  readonly missingRule: string | null;
  /** Eligible items of this contract (counted only; the ids are on the invoices). */
  itemCount = 0;
  /** Items whose own PO differs from the contract's, by that PO. */
  differingByPo: Map<string | null, number[]> | null = null;

  constructor(contract: ContractLike, matchingRule: string | null) {
    this.id = contract.id;
    this.companyID = contract.companyID;
    this.po = normalizePo(contract.purchaseOrderNumber);
    this.missingRule = this.po === null ? matchingRule : null;
  }

  differing(po: string | null, billingItemIDs: readonly number[]): void {
    this.differingByPo ??= new Map();
    const ids = this.differingByPo.get(po);
    if (ids === undefined) this.differingByPo.set(po, [...billingItemIDs]);
    else ids.push(...billingItemIDs);
  }
}

export interface ContractFindings {
  /** Items naming a contract that is not in the input, by contract id. */
  unknown: Map<number, number[]>;
}

/**
 * The contract checks of one invoice: every item of the group carries the group's PO, so "item PO differs from its
 * contract's" is decided once per (invoice, contract) instead of once per item. `ids` and `contractIDs` are the
 * group's items (contract NaN = none), in the same order. Returns the group's contract ids, ascending.
 */
export function checkContracts(group: GroupAccumulator, ids: Float64Array, contractIDs: Float64Array,
  contracts: ReadonlyMap<number, ContractInfo>, findings: ContractFindings): number[] {
  const counts = new Map<number, number>();
  let previous = Number.NaN;
  let run = 0;
  for (let k = 0; k < contractIDs.length; k += 1) {
    const contractID = contractIDs[k] as number;
    if (contractID === previous) { run += 1; continue; }
    if (run > 0 && !Number.isNaN(previous)) counts.set(previous, (counts.get(previous) ?? 0) + run);
    previous = contractID;
    run = 1;
  }
  if (run > 0 && !Number.isNaN(previous)) counts.set(previous, (counts.get(previous) ?? 0) + run);
  const idsOf = (contractID: number): number[] => {
    const out: number[] = [];
    for (let k = 0; k < contractIDs.length; k += 1) if (contractIDs[k] === contractID) out.push(ids[k] as number);
    return out;
  };
  for (const [contractID, count] of counts) {
    const contract = contracts.get(contractID);
    if (contract === undefined) {
      const known = findings.unknown.get(contractID);
      if (known === undefined) findings.unknown.set(contractID, idsOf(contractID)); else known.push(...idsOf(contractID));
      continue;
    }
    contract.itemCount += count;
    if (contract.po !== group.po) contract.differing(group.po, idsOf(contractID));
  }
  return [...counts.keys()].sort((a, b) => a - b);
}

export interface BuiltGroup {
  group: GroupAccumulator;
  doc: InvoiceDocument;
}

export interface TotalDisagreement {
  billingItemID: number;
  companyID: number;
  /** extendedPrice + taxDollars, in units: what the document uses. */
  expected: MoneyUnits;
  /** Autotask's own totalAmount, in units. */
  actual: MoneyUnits;
}

/**
 * The one check that an item's own `totalAmount` equals `extendedPrice + taxDollars` (amounts in exact units, see
 * src/lib/money.ts). Autotask's totalAmount cannot be trusted (docs/autotask-samples.md: a real record has 0 beside
 * 386.645), so the document uses price + tax (docs/billing-items.md#printed-totals) and a person is shown the
 * disagreement as TOTAL_AMOUNT_DIFFERS rather than having it decided silently.
 */
export function itemTotalDisagreement(billingItemID: number, companyID: number, extendedPrice: MoneyUnits, tax: MoneyUnits,
  totalAmount: MoneyUnits): TotalDisagreement | null {
  const expected = extendedPrice + tax;
  return expected === totalAmount ? null : { billingItemID, companyID, expected, actual: totalAmount };
}

/** One TOTAL_AMOUNT_DIFFERS warning per company, naming its items (the first few with both amounts in the message). */
export function totalDiffersWarnings(found: readonly TotalDisagreement[]): InvoiceWarning[] {
  return [...groupBy(found, (d) => String(d.companyID)).values()].map((list) => {
    const shown = [...list].sort((a, b) => a.billingItemID - b.billingItemID).slice(0, 5)
      .map((d) => `billing item ${d.billingItemID}: Autotask's totalAmount ${unitsToNumber(d.actual)} but extendedPrice + `
        + `taxDollars = ${unitsToNumber(d.expected)}`);
    const more = list.length > shown.length ? `; and ${list.length - shown.length} more` : '';
    return makeWarning('TOTAL_AMOUNT_DIFFERS', `${shown.join('; ')}${more}. The document uses extendedPrice + taxDollars, `
      + 'so its lines and totals agree; check the item in Autotask before sending',
      { companyID: (list[0] as TotalDisagreement).companyID, billingItemIDs: list.map((d) => d.billingItemID) });
  });
}

function groupBy<T>(list: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const value of list) {
    const k = key(value);
    const bucket = out.get(k);
    if (bucket === undefined) out.set(k, [value]); else bucket.push(value);
  }
  return out;
}

/** Warnings about one company's invoices (sorted by PO, "no PO" first). */
export function buildGroupWarnings(companyID: number, built: readonly BuiltGroup[], decimals: number): InvoiceWarning[] {
  const warnings: InvoiceWarning[] = [];
  const groups = built.map((b) => b.group);
  const keys = built.map((b) => b.doc.invoiceKey);
  const withPo = groups.filter((g) => g.po !== null);
  const noPo = groups.find((g) => g.po === null);
  if (noPo !== undefined && withPo.length > 0) {
    warnings.push(makeWarning('MIXED_PO_AND_NO_PO',
      `company ${companyID} has ${noPo.count} item(s) without a PO next to items with PO `
        + `${withPo.map((g) => quotePo(g.po)).join(', ')}; they go on a separate invoice`,
      { companyID, invoiceKeys: keys,
        purchaseOrderNumbers: groups.map((g) => g.po) }));
  }
  const docOf = (g: GroupAccumulator): BuiltGroup => built[groups.indexOf(g)] as BuiltGroup;
  const lookAlikes = (list: readonly GroupAccumulator[]): WarningIds => {
    const pos = list.map((g) => g.po).sort(comparePo);
    return { companyID, purchaseOrderNumbers: pos, invoiceKeys: list.map((g) => docOf(g).doc.invoiceKey),
      contractIDs: [...new Set(list.flatMap((g) => docOf(g).doc.contractIDs))] };
  };
  // Look-alikes first (issue 14 item 6): one warning per set of PO numbers that show the same, "no PO" included
  // (a PO of only invisible characters), which covers every pair of the set.
  const visible = groupBy(groups, (g) => (g.po === null ? '' : visiblePo(g.po)));
  for (const list of visible.values()) {
    if (list.length < 2) continue;
    const ids = lookAlikes(list);
    warnings.push(makeWarning('INVISIBLE_PO_VARIANTS',
      `company ${companyID}: PO numbers ${(ids.purchaseOrderNumbers ?? []).map(spellPo).join(', ')} look the same but `
        + 'differ in characters that do not show; Autotask invoices them separately, so do we — correct the PO on '
        + 'the items or contracts if they are one order', ids));
  }
  // Case and spacing: reported only when the set holds more than one visible form (look-alikes are reported above).
  const variants = groupBy(withPo.length > 1 ? withPo : [], (g) => canonicalPo(visiblePo(g.po as string)));
  for (const list of variants.values()) {
    if (new Set(list.map((g) => visiblePo(g.po as string))).size < 2) continue;
    const ids = lookAlikes(list);
    warnings.push(makeWarning('PO_VARIANTS',
      `company ${companyID}: PO numbers ${(ids.purchaseOrderNumbers ?? []).map(quotePo).join(', ')} differ only in case `
        + 'or spacing; they are invoiced separately — correct the PO on the items if they are one order', ids));
  }
  groups.forEach((g, index) => {
    const key = keys[index] as string;
    const printedTotal = g.printedSubtotal + g.printedTax;
    const sums = [['subtotal', g.subtotal, g.printedSubtotal], ['tax', g.tax, g.printedTax],
      ['total', g.subtotal + g.tax, printedTotal]] as const;
    const off = sums.filter(([, exact, printed]) => exact !== printed);
    if (off.length > 0) {
      warnings.push(makeWarning('TOTAL_ROUNDED',
        `invoice ${key}: ${off.map(([name, exact, printed]) => `${name} ${formatUnits(exact, 4)} shown as ${formatUnits(printed, decimals)}`)
          .join(', ')} (lines rounded to the currency, then summed)`, { companyID, invoiceKeys: [key], purchaseOrderNumbers: [g.po] }));
    }
    if (g.future.length > 0) {
      warnings.push(makeWarning('FUTURE_ITEM_DATE', `invoice ${key}: ${g.future.length} item(s) dated in the future`,
        { companyID, invoiceKeys: [key], billingItemIDs: g.future, purchaseOrderNumbers: [g.po] }));
    }
  });
  return warnings;
}

export interface ContractWarningInput {
  contracts: ReadonlyMap<number, ContractInfo>;
  unknownContracts: ReadonlyMap<number, number[]>;
  roundedAmounts: readonly number[];
}

/** Warnings gathered per contract during the pass. */
export function collectInvoiceWarnings(input: ContractWarningInput): InvoiceWarning[] {
  const warnings: InvoiceWarning[] = [];
  for (const contract of input.contracts.values()) {
    if (contract.differingByPo !== null) {
      for (const [po, ids] of contract.differingByPo) {
        warnings.push(makeWarning('PO_DIFFERS_FROM_CONTRACT',
          `${ids.length} item(s) of contract ${contract.id} carry ${quotePo(po)} but the contract now has `
            + `${quotePo(contract.po)}; items keep the PO they had when posted, so they are invoiced under ${quotePo(po)}`,
          { companyID: contract.companyID, contractIDs: [contract.id], billingItemIDs: ids,
            purchaseOrderNumbers: [po, contract.po] }));
      }
    }
    if (contract.missingRule !== null && contract.itemCount > 0) {
      warnings.push(makeWarning('CONTRACT_MISSING_PO',
        `contract ${contract.id} (${contract.itemCount} item(s) to invoice) has no PO number although PO rule `
          + `"${contract.missingRule}" says it should`,
        { companyID: contract.companyID, contractIDs: [contract.id] }));
    }
  }
  for (const [contractID, ids] of input.unknownContracts) {
    warnings.push(makeWarning('CONTRACT_NOT_FOUND',
      `${ids.length} item(s) name contract ${contractID}, which is not known; its PO could not be checked`,
      { contractIDs: [contractID], billingItemIDs: ids }));
  }
  if (input.roundedAmounts.length > 0) {
    warnings.push(makeWarning('AMOUNT_ROUNDED',
      `${input.roundedAmounts.length} item(s) have amounts with more than 4 decimals; rounded to 4`,
      { billingItemIDs: input.roundedAmounts }));
  }
  return warnings;
}
