/**
 * The demo's money: approved-and-posted billing items (docs/autotask-api.md#billing-items) for the purchase-order
 * stories — labour from time entries on block-hours and T&M contracts, recurring service lines, project
 * milestones and expenses, and hundreds of 0.10 / 0.20 / 0.70 charges whose float sum drifts from the exact
 * cents. Some items are already invoiced (with their Invoice) and a few were already marked (webServiceDate).
 * Amounts are built in integer cents so the expected totals are exact.
 */
import { BILLING_ITEM_TYPE_IDS } from '../picklists.js';
import type { Rng } from '../random.js';
import type { SandboxRecord } from '../types.js';
import { ROLE_RATES } from './base.js';
import { DEMO_COMPANY, DEMO_CONTRACT, DEMO_INVOICE, DEMO_PO, addMinutes, dayAt, dayOffsetOf, iso } from './demo-ids.js';
import type { TicketSpec } from './demo-tickets.js';

interface ItemSpec {
  companyID: number; contractID: number; purchaseOrderNumber: string | null; itemDate: Date; postedDate: Date;
  billingItemType: number; subType: number; itemName: string; description: string; quantity: number; rateCents: number;
  taxBasisPoints: number; ticketID: number | null; timeEntry: SandboxRecord | null; invoiceID: number | null;
  webServiceDate: Date | null;
}

export interface DemoBilling {
  timeEntries: SandboxRecord[];
  billingItems: SandboxRecord[];
  invoices: SandboxRecord[];
}

const TAX_NW = 825;
const CONTRACT_PO: Record<number, string | null> = {
  [DEMO_CONTRACT.northwindManaged]: DEMO_PO.northwindShared, [DEMO_CONTRACT.northwindBlockHours]: DEMO_PO.northwindShared,
  [DEMO_CONTRACT.northwindUpgrade]: DEMO_PO.northwindUpgrade, [DEMO_CONTRACT.contosoManaged]: null,
  [DEMO_CONTRACT.contosoAdHoc]: null, [DEMO_CONTRACT.fabrikamManaged]: DEMO_PO.fabrikamManaged,
  [DEMO_CONTRACT.fabrikamOverage]: DEMO_PO.fabrikamOverage, [DEMO_CONTRACT.tailspinPerTicket]: DEMO_PO.tailspin,
};

export function buildDemoBilling(now: Date, rng: Rng, tickets: TicketSpec[]): DemoBilling {
  const items: ItemSpec[] = [];
  const entries: SandboxRecord[] = [];
  const item = (contractID: number, companyID: number, rest: Partial<ItemSpec> & Pick<ItemSpec, 'itemDate' | 'itemName' | 'rateCents'>): void => {
    items.push({ companyID, contractID, purchaseOrderNumber: CONTRACT_PO[contractID] ?? null, postedDate: addMinutes(rest.itemDate, 60 * 20),
      billingItemType: BILLING_ITEM_TYPE_IDS.contractCost, subType: 3, description: rest.itemName, quantity: 1, taxBasisPoints: 0,
      ticketID: null, timeEntry: null, invoiceID: null, webServiceDate: null, ...rest });
  };

  // Labour: time entries on the company's service tickets, billed against the block-hours / T&M contracts.
  const labour = (companyID: number, contractID: number, count: number): void => {
    const candidates = tickets.filter((t) => t.story === 'service' && t.companyID === companyID && t.assignedResourceID !== null
      && t.createDate.getTime() <= dayAt(now, -3, 23).getTime());
    for (let i = 0; i < count; i += 1) {
      const ticket = candidates[i % candidates.length] as TicketSpec;
      const createdDay = dayOffsetOf(now, ticket.createDate);
      const start = dayAt(now, Math.min(-2, createdDay + rng.int(0, 2)), rng.int(8, 16), rng.pick([0, 15, 30, 45]));
      const hours = rng.int(1, 12) / 4;
      const end = addMinutes(start, hours * 60);
      const roleID = ticket.assignedResourceRoleID as number;
      const entry: SandboxRecord = { id: 0, ticketID: ticket.id, taskID: null, resourceID: ticket.assignedResourceID, roleID,
        dateWorked: `${iso(start).slice(0, 10)}T00:00:00.000Z`, startDateTime: iso(start), endDateTime: iso(end), hoursWorked: hours,
        hoursToBill: hours, summaryNotes: `Worked on: ${ticket.title}`, internalNotes: null, contractID, isNonBillable: false,
        createDateTime: iso(end), lastModifiedDateTime: iso(end), creatorUserID: ticket.assignedResourceID };
      entries.push(entry);
      item(contractID, companyID, { itemDate: start, postedDate: dayAt(now, Math.min(-1, createdDay + 3), 18, i % 60),
        billingItemType: BILLING_ITEM_TYPE_IDS.labor, subType: 1, itemName: `Labor: ${ticket.title}`.slice(0, 500),
        description: entry.summaryNotes as string, quantity: hours, rateCents: (ROLE_RATES[roleID] ?? 95) * 100,
        ticketID: ticket.id, timeEntry: entry });
    }
  };
  labour(DEMO_COMPANY.northwind, DEMO_CONTRACT.northwindBlockHours, 130);
  labour(DEMO_COMPANY.contoso, DEMO_CONTRACT.contosoAdHoc, 40);
  labour(DEMO_COMPANY.fabrikam, DEMO_CONTRACT.fabrikamOverage, 30);

  const recurring = { billingItemType: BILLING_ITEM_TYPE_IDS.recurringService, subType: 4 };
  const monthStart = dayAt(now, -25, 0, 0);
  item(DEMO_CONTRACT.northwindManaged, DEMO_COMPANY.northwind, { ...recurring, itemDate: monthStart,
    itemName: 'Managed Services - Monthly', rateCents: 245_000, taxBasisPoints: TAX_NW });
  for (let i = 0; i < 140; i += 1) {
    item(DEMO_CONTRACT.northwindManaged, DEMO_COMPANY.northwind, { itemDate: monthStart,
      itemName: `RMM endpoint monitoring - WS-${String(1001 + i).padStart(4, '0')}`, rateCents: 70 });
  }
  for (let i = 0; i < 100; i += 1) {
    item(DEMO_CONTRACT.northwindManaged, DEMO_COMPANY.northwind, { itemDate: dayAt(now, -20 + (i % 18), 3, i % 60),
      itemName: 'SMS alert notification', rateCents: 10 });
  }
  item(DEMO_CONTRACT.northwindUpgrade, DEMO_COMPANY.northwind, { billingItemType: BILLING_ITEM_TYPE_IDS.milestone,
    itemDate: dayAt(now, -12, 10), itemName: 'Milestone 1: hardware delivered and racked', rateCents: 480_000 });
  item(DEMO_CONTRACT.northwindUpgrade, DEMO_COMPANY.northwind, { billingItemType: BILLING_ITEM_TYPE_IDS.milestone,
    itemDate: dayAt(now, -5, 10), itemName: 'Milestone 2: domain controller migration', rateCents: 320_000 });
  const expenses: Array<[string, number, number]> = [['Cat6 patch cables', 1720, 4], ['Cable ties', 20, 7], ['Rack shelf', 14_999, 1],
    ['Mileage (km)', 70, 48], ['Parking', 1210, 2], ['SFP+ transceiver', 3570, 2]];
  expenses.forEach(([name, cents, quantity], index) => {
    item(DEMO_CONTRACT.northwindUpgrade, DEMO_COMPANY.northwind, { billingItemType: BILLING_ITEM_TYPE_IDS.projectCost, subType: 2,
      itemDate: dayAt(now, -11 + index, 14), itemName: `Expense: ${name}`, quantity, rateCents: cents, taxBasisPoints: TAX_NW });
  });
  item(DEMO_CONTRACT.contosoManaged, DEMO_COMPANY.contoso, { ...recurring, itemDate: monthStart,
    itemName: 'Managed IT - Monthly', rateCents: 132_000 });
  for (let i = 0; i < 60; i += 1) {
    item(DEMO_CONTRACT.contosoManaged, DEMO_COMPANY.contoso, { itemDate: dayAt(now, -24 + (i % 20), 1),
      itemName: 'Offsite backup storage (per GB)', rateCents: 20 });
  }
  item(DEMO_CONTRACT.fabrikamManaged, DEMO_COMPANY.fabrikam, { ...recurring, itemDate: monthStart,
    itemName: 'Managed Services - Monthly', rateCents: 187_550 });
  for (let i = 0; i < 50; i += 1) {
    // Five were delivered by an earlier export run and marked (webServiceDate), so they belong to no open group.
    item(DEMO_CONTRACT.fabrikamManaged, DEMO_COMPANY.fabrikam, { itemDate: monthStart,
      itemName: `RMM endpoint monitoring - FAB-${String(201 + i)}`, rateCents: 70,
      webServiceDate: i < 5 ? dayAt(now, -3, 6) : null });
  }
  // History: last month's invoices.
  const previous = dayAt(now, -55, 0, 0);
  item(DEMO_CONTRACT.northwindManaged, DEMO_COMPANY.northwind, { ...recurring, itemDate: previous,
    itemName: 'Managed Services - Monthly', rateCents: 245_000, taxBasisPoints: TAX_NW, invoiceID: DEMO_INVOICE.northwindLastMonth });
  for (let i = 0; i < 24; i += 1) {
    item(DEMO_CONTRACT.northwindManaged, DEMO_COMPANY.northwind, { itemDate: previous, rateCents: 70,
      itemName: `RMM endpoint monitoring - WS-${String(1001 + i).padStart(4, '0')}`, invoiceID: DEMO_INVOICE.northwindLastMonth });
  }
  for (let i = 0; i < 10; i += 1) {
    item(DEMO_CONTRACT.tailspinPerTicket, DEMO_COMPANY.tailspin, { billingItemType: BILLING_ITEM_TYPE_IDS.ticketCost,
      itemDate: dayAt(now, -58 + i, 11), itemName: 'Per-ticket support fee', rateCents: 4500, invoiceID: DEMO_INVOICE.tailspinLastMonth });
  }
  return assemble(now, rng, items, entries);
}

function assemble(now: Date, rng: Rng, items: ItemSpec[], entries: SandboxRecord[]): DemoBilling {
  const cap = (d: Date): Date => new Date(Math.min(d.getTime(), now.getTime() - 3_600_000));
  entries.sort((a, b) => String(a.startDateTime).localeCompare(String(b.startDateTime)));
  let entryId = 7_101_000;
  for (const entry of entries) { entryId += 1 + (rng.chance(0.3) ? rng.int(1, 6) : 0); entry.id = entryId; }
  const order = items.map((spec, index) => ({ spec, index }))
    .sort((a, b) => a.spec.postedDate.getTime() - b.spec.postedDate.getTime() || a.index - b.index);
  let itemId = 1_200_300;
  const billingItems = order.map(({ spec }) => {
    itemId += 1 + (rng.chance(0.25) ? rng.int(1, 9) : 0);
    const extCents = Math.round(spec.quantity * spec.rateCents);
    const taxCents = Math.round((extCents * spec.taxBasisPoints) / 10_000);
    const money = { rate: spec.rateCents / 100, extendedPrice: extCents / 100, taxDollars: taxCents / 100,
      totalAmount: (extCents + taxCents) / 100 };
    return { id: itemId, companyID: spec.companyID, contractID: spec.contractID, invoiceID: spec.invoiceID,
      itemDate: iso(cap(spec.itemDate)), postedDate: iso(cap(spec.postedDate)), purchaseOrderNumber: spec.purchaseOrderNumber,
      billingItemType: spec.billingItemType, subType: spec.subType, itemName: spec.itemName, description: spec.description,
      quantity: spec.quantity, ...money, ticketID: spec.ticketID, timeEntryID: spec.timeEntry?.id ?? null, projectID: null,
      webServiceDate: spec.webServiceDate ? iso(spec.webServiceDate) : null,
      internalCurrencyExtendedAmount: money.extendedPrice, internalCurrencyRate: money.rate,
      internalCurrencyTaxDollars: money.taxDollars, internalCurrencyTotalAmount: money.totalAmount,
      lineItemFullDescription: `${spec.itemName} - ${spec.description}`, lineItemGroupDescription: spec.itemName } as SandboxRecord;
  });
  const invoices: SandboxRecord[] = [DEMO_INVOICE.northwindLastMonth, DEMO_INVOICE.tailspinLastMonth].map((invoiceId, index) => {
    const lines = billingItems.filter((b) => b.invoiceID === invoiceId);
    const cents = (key: string): number => lines.reduce((sum, b) => sum + Math.round((b[key] as number) * 100), 0);
    const dates = lines.map((b) => String(b.itemDate)).sort();
    return { id: invoiceId, companyID: lines[0]?.companyID ?? null, invoiceNumber: String(1041 + index),
      invoiceDateTime: iso(dayAt(now, -50, 8)), fromDate: dates[0] ?? null, toDate: dates[dates.length - 1] ?? null,
      invoiceTotal: cents('totalAmount') / 100, totalTaxValue: cents('taxDollars') / 100,
      orderNumber: lines[0]?.purchaseOrderNumber ?? null, isVoided: false, paidDate: iso(dayAt(now, -35, 12)),
      webServiceDate: null, comments: null, createDateTime: iso(dayAt(now, -50, 8)), creatorResourceID: null } as SandboxRecord;
  });
  return { timeEntries: entries, billingItems, invoices };
}
