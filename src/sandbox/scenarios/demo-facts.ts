/**
 * DEMO_FACTS: what the demo tenant holds and what a correct pipeline must conclude from it, computed from the
 * generated records (so a change to the data changes the facts, never silently the tests).
 * Invoice groups: open billing items (invoiceID null and webServiceDate null) by company and the item's
 * purchaseOrderNumber (null for none), with exact totals in integer cents.
 */
import type { SandboxRecord, TenantData } from '../types.js';
import { API_USER_RESOURCE_ID, ROLE_IDS, TECHNICIANS, type Technician } from './base.js';
import { DEMO_CI, DEMO_COMPANY, DEMO_CONTRACT, DEMO_INVOICE, DEMO_PO } from './demo-ids.js';
import type { TicketSpec } from './demo-tickets.js';

export interface DemoInvoiceGroup {
  companyID: number;
  purchaseOrderNumber: string | null;
  contractIDs: number[];
  billingItemIDs: number[];
  itemCount: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  /** The same total summed naively in floating point (differs from totalCents / 100: the drift to avoid). */
  floatTotal: number;
}

export interface DemoFacts {
  apiUserResourceId: number;
  companies: typeof DEMO_COMPANY;
  contracts: typeof DEMO_CONTRACT;
  purchaseOrders: typeof DEMO_PO;
  /** Contract ids per purchase order number, e.g. the managed-services and block-hours contracts share one. */
  contractsByPurchaseOrder: Record<string, number[]>;
  /** Contracts that carry no purchase order. */
  contractsWithoutPurchaseOrder: number[];
  /** Sorted by companyID then purchaseOrderNumber (null last). */
  invoiceGroups: DemoInvoiceGroup[];
  openBillingItemCount: number;
  billingItemCount: number;
  invoicedBillingItemIds: number[];
  /** Open (not invoiced) items already marked with webServiceDate by an earlier export. */
  markedBillingItemIds: number[];
  existingInvoiceIds: number[];
  narcolepticServer: { configurationItemID: number; companyID: number; ticketIds: number[]; decoyTicketIds: number[] };
  backupJob: { configurationItemID: number; companyID: number; ticketIds: number[]; linkedTicketIds: number[]; unlinkedTicketIds: number[] };
  existingProblemId: number;
  /** Monitoring-alert tickets that belong to no family. */
  monitoringNoiseTicketIds: number[];
  roles: typeof ROLE_IDS;
  technicians: readonly Technician[];
  inactiveResourceId: number;
  /** Open tickets assigned to an active technician: a time entry by that resource with that role is accepted. */
  assignedOpenTickets: Array<{ ticketId: number; resourceId: number; roleId: number }>;
  /** An open ticket still assigned to the inactive technician: time entries by that resource are refused. */
  ticketAssignedToInactive: { ticketId: number; resourceId: number; roleId: number };
  unassignedOpenTicketIds: number[];
  ticketCount: number;
  timeEntryCount: number;
}

const cents = (value: unknown): number => Math.round((value as number) * 100);
const ids = (specs: TicketSpec[]): number[] => specs.map((t) => t.id).sort((a, b) => a - b);

function invoiceGroups(items: readonly SandboxRecord[]): DemoInvoiceGroup[] {
  const groups = new Map<string, DemoInvoiceGroup>();
  for (const item of items) {
    if (item.invoiceID !== null || item.webServiceDate !== null) continue;
    const po = (item.purchaseOrderNumber as string | null) ?? null;
    const key = `${String(item.companyID)}|${po ?? ''}`;
    const group = groups.get(key) ?? { companyID: item.companyID as number, purchaseOrderNumber: po, contractIDs: [],
      billingItemIDs: [], itemCount: 0, subtotalCents: 0, taxCents: 0, totalCents: 0, floatTotal: 0 };
    if (!group.contractIDs.includes(item.contractID as number)) group.contractIDs.push(item.contractID as number);
    group.billingItemIDs.push(item.id);
    group.itemCount += 1;
    group.subtotalCents += cents(item.extendedPrice);
    group.taxCents += cents(item.taxDollars);
    group.totalCents += cents(item.totalAmount);
    group.floatTotal += item.totalAmount as number;
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ ...g, contractIDs: g.contractIDs.sort((a, b) => a - b),
    billingItemIDs: g.billingItemIDs.sort((a, b) => a - b) }))
    .sort((a, b) => a.companyID - b.companyID || (a.purchaseOrderNumber ?? '\uffff').localeCompare(b.purchaseOrderNumber ?? '\uffff'));
}

export function computeDemoFacts(data: TenantData, specs: TicketSpec[]): DemoFacts {
  const items = data.records.BillingItems ?? [];
  const contracts = data.records.Contracts ?? [];
  const byPo: Record<string, number[]> = {};
  for (const c of contracts) {
    if (typeof c.purchaseOrderNumber === 'string') (byPo[c.purchaseOrderNumber] ??= []).push(c.id);
  }
  const story = (name: TicketSpec['story']): TicketSpec[] => specs.filter((t) => t.story === name);
  const backup = story('backup');
  const problem = story('problem')[0] as TicketSpec;
  const inactive = TECHNICIANS.find((t) => !t.active) as Technician;
  const open = story('service').filter((t) => t.completedDate === null);
  const activeIds = new Set(TECHNICIANS.filter((t) => t.active).map((t) => t.resourceId));
  const toInactive = open.find((t) => t.assignedResourceID === inactive.resourceId) as TicketSpec;
  const groups = invoiceGroups(items);
  return {
    apiUserResourceId: API_USER_RESOURCE_ID,
    companies: DEMO_COMPANY,
    contracts: DEMO_CONTRACT,
    purchaseOrders: DEMO_PO,
    contractsByPurchaseOrder: byPo,
    contractsWithoutPurchaseOrder: contracts.filter((c) => c.purchaseOrderNumber === null).map((c) => c.id),
    invoiceGroups: groups,
    openBillingItemCount: groups.reduce((n, g) => n + g.itemCount, 0),
    billingItemCount: items.length,
    invoicedBillingItemIds: items.filter((b) => b.invoiceID !== null).map((b) => b.id),
    markedBillingItemIds: items.filter((b) => b.invoiceID === null && b.webServiceDate !== null).map((b) => b.id),
    existingInvoiceIds: [DEMO_INVOICE.northwindLastMonth, DEMO_INVOICE.tailspinLastMonth],
    narcolepticServer: { configurationItemID: DEMO_CI.northwindDc, companyID: DEMO_COMPANY.northwind,
      ticketIds: ids(story('narcoleptic')), decoyTicketIds: ids(story('decoy')) },
    backupJob: { configurationItemID: DEMO_CI.fabrikamBackupJob, companyID: DEMO_COMPANY.fabrikam, ticketIds: ids(backup),
      linkedTicketIds: ids(backup.filter((t) => t.problem !== null)), unlinkedTicketIds: ids(backup.filter((t) => t.problem === null)) },
    existingProblemId: problem.id,
    monitoringNoiseTicketIds: ids(story('monitoringNoise')),
    roles: ROLE_IDS,
    technicians: TECHNICIANS,
    inactiveResourceId: inactive.resourceId,
    assignedOpenTickets: open.filter((t) => t.assignedResourceID !== null && activeIds.has(t.assignedResourceID))
      .map((t) => ({ ticketId: t.id, resourceId: t.assignedResourceID as number, roleId: t.assignedResourceRoleID as number }))
      .sort((a, b) => a.ticketId - b.ticketId),
    ticketAssignedToInactive: { ticketId: toInactive.id, resourceId: inactive.resourceId, roleId: toInactive.assignedResourceRoleID as number },
    unassignedOpenTicketIds: ids(open.filter((t) => t.assignedResourceID === null)),
    ticketCount: specs.length,
    timeEntryCount: (data.records.TimeEntries ?? []).length,
  };
}
