/**
 * Scenario `demo`: the stories this product exists for (issue 3 "Data"), with `DEMO_FACTS` — the ids and
 * expected outcomes tests check. Ids and amounts come from a fixed internal seed and dates are relative to
 * `now`, so the facts hold for any "now".
 */
import { CONTRACT_CATEGORY_IDS, CONTRACT_TYPE_IDS } from '../picklists.js';
import { createRng } from '../random.js';
import type { SandboxRecord, TenantData } from '../types.js';
import { API_USER_RESOURCE_ID, CURRENCY_IDS, OWNER_COMPANY_ID, ROLE_IDS, TECHNICIANS, baseRecords, type Technician } from './base.js';
import { buildDemoBilling } from './demo-billing.js';
import { computeDemoFacts, type DemoFacts } from './demo-facts.js';
import { DEMO_CI, DEMO_COMPANY, DEMO_CONTRACT, DEMO_PO, dayAt, iso } from './demo-ids.js';
import { buildDemoTickets, type TicketSpec } from './demo-tickets.js';

export type { DemoFacts, DemoInvoiceGroup } from './demo-facts.js';
export { DEMO_COMPANY, DEMO_CONTRACT, DEMO_CI, DEMO_PO } from './demo-ids.js';

const DEMO_SEED = 20_260_101;

function companies(now: Date): SandboxRecord[] {
  const rows: Array<[number, string, string, string]> = [
    [DEMO_COMPANY.northwind, 'Northwind Dental Group', 'NWD', 'Portland'],
    [DEMO_COMPANY.contoso, 'Contoso Law LLP', 'CLL', 'Boston'],
    [DEMO_COMPANY.fabrikam, 'Fabrikam Logistics', 'FAB', 'Denver'],
    [DEMO_COMPANY.tailspin, 'Tailspin Bakery', 'TSB', 'Austin'],
  ];
  // Fabrikam is invoiced in euros (its currencyID); the others in the tenant's internal currency (none set).
  return rows.map(([id, companyName, companyNumber, city]) => ({ id, companyName, companyNumber, companyType: 1, isActive: true,
    phone: '+1 555 0199', ownerResourceID: TECHNICIANS[0]?.resourceId ?? null, city,
    currencyID: id === DEMO_COMPANY.fabrikam ? CURRENCY_IDS.eur : null,
    createDate: '2021-06-01T12:00:00.000Z', lastActivityDate: iso(dayAt(now, -1, 9)) }));
}

function contracts(now: Date): SandboxRecord[] {
  const year = now.getUTCFullYear();
  const c = (id: number, companyID: number, contractName: string, contractType: number, contractCategory: number,
    purchaseOrderNumber: string | null): SandboxRecord => ({ id, companyID, contractName, contractNumber: `C-${id % 100_000}`,
    contractType, contractCategory, status: 1, startDate: `${year - 1}-01-01T00:00:00.000Z`, endDate: `${year + 1}-12-31T00:00:00.000Z`,
    purchaseOrderNumber, billToCompanyID: companyID, description: null, isDefaultContract: false, estimatedRevenue: null,
    lastModifiedDateTime: iso(dayAt(now, -40, 10)) });
  return [
    c(DEMO_CONTRACT.northwindManaged, DEMO_COMPANY.northwind, 'Northwind Managed Services', CONTRACT_TYPE_IDS.recurringService, CONTRACT_CATEGORY_IDS.managedServices, DEMO_PO.northwindShared),
    c(DEMO_CONTRACT.northwindBlockHours, DEMO_COMPANY.northwind, 'Northwind Block Hours', CONTRACT_TYPE_IDS.blockHours, CONTRACT_CATEGORY_IDS.managedServices, DEMO_PO.northwindShared),
    c(DEMO_CONTRACT.northwindUpgrade, DEMO_COMPANY.northwind, 'Northwind Server Upgrade Project', CONTRACT_TYPE_IDS.fixedPrice, CONTRACT_CATEGORY_IDS.projects, DEMO_PO.northwindUpgrade),
    c(DEMO_CONTRACT.contosoManaged, DEMO_COMPANY.contoso, 'Contoso Managed IT', CONTRACT_TYPE_IDS.recurringService, CONTRACT_CATEGORY_IDS.managedServices, null),
    c(DEMO_CONTRACT.contosoAdHoc, DEMO_COMPANY.contoso, 'Contoso Ad-hoc Support', CONTRACT_TYPE_IDS.timeAndMaterials, CONTRACT_CATEGORY_IDS.adHoc, null),
    c(DEMO_CONTRACT.fabrikamManaged, DEMO_COMPANY.fabrikam, 'Fabrikam Managed Services', CONTRACT_TYPE_IDS.recurringService, CONTRACT_CATEGORY_IDS.managedServices, DEMO_PO.fabrikamManaged),
    c(DEMO_CONTRACT.fabrikamOverage, DEMO_COMPANY.fabrikam, 'Fabrikam Hourly Overage', CONTRACT_TYPE_IDS.timeAndMaterials, CONTRACT_CATEGORY_IDS.adHoc, DEMO_PO.fabrikamOverage),
    c(DEMO_CONTRACT.tailspinPerTicket, DEMO_COMPANY.tailspin, 'Tailspin Per-Ticket Support', CONTRACT_TYPE_IDS.perTicket, CONTRACT_CATEGORY_IDS.adHoc, DEMO_PO.tailspin),
  ];
}

function configurationItems(): SandboxRecord[] {
  const rows: Array<[number, number, string, number]> = [
    [DEMO_CI.northwindDc, DEMO_COMPANY.northwind, 'SRV-DC01', 3], [DEMO_CI.northwindApp, DEMO_COMPANY.northwind, 'SRV-APP02', 3],
    [DEMO_CI.northwindWs142, DEMO_COMPANY.northwind, 'WS-0142', 5], [DEMO_CI.contosoWs107, DEMO_COMPANY.contoso, 'WS-0107', 5],
    [DEMO_CI.contosoDc, DEMO_COMPANY.contoso, 'SRV-DC01', 3], [DEMO_CI.fabrikamBackupJob, DEMO_COMPANY.fabrikam, 'Nightly-NAS01 (Veeam backup job)', 9],
    [DEMO_CI.fabrikamNas, DEMO_COMPANY.fabrikam, 'NAS01', 3], [DEMO_CI.fabrikamRouter, DEMO_COMPANY.fabrikam, 'RTR-02', 12],
    [DEMO_CI.tailspinFirewall, DEMO_COMPANY.tailspin, 'FW-01', 12], [DEMO_CI.tailspinUps, DEMO_COMPANY.tailspin, 'UPS-01', 12],
  ];
  return rows.map(([id, companyID, referenceTitle, configurationItemType]) => ({ id, companyID, referenceTitle,
    referenceNumber: `AST-${id % 10_000}`, serialNumber: `SN${(id * 7919) % 1_000_000}`, isActive: true, configurationItemType,
    productID: 29700001, installDate: '2022-02-14T00:00:00.000Z', createDate: '2022-02-14T10:00:00.000Z',
    lastModifiedTime: '2024-05-01T10:00:00.000Z' }));
}

function ticketRecords(now: Date, specs: TicketSpec[], timeEntries: SandboxRecord[]): SandboxRecord[] {
  const lastEntry = new Map<number, string>();
  for (const e of timeEntries) {
    const end = String(e.endDateTime);
    if ((lastEntry.get(e.ticketID as number) ?? '') < end) lastEntry.set(e.ticketID as number, end);
  }
  const perDay = new Map<string, number>();
  const cap = (d: Date): string => iso(new Date(Math.min(d.getTime(), now.getTime() - 3_600_000)));
  return specs.map((t) => {
    const day = iso(t.createDate).slice(0, 10).replaceAll('-', '');
    const seq = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, seq);
    const created = iso(t.createDate);
    const completed = t.completedDate ? cap(t.completedDate) : null;
    const lastActivity = [created, completed ?? '', lastEntry.get(t.id) ?? ''].sort().at(-1) as string;
    return { id: t.id, ticketNumber: `T${day}.${String(seq).padStart(4, '0')}`, title: t.title, description: t.description,
      companyID: t.companyID, companyLocationID: null, configurationItemID: t.configurationItemID, contactID: null, contractID: null,
      createDate: created, lastActivityDate: lastActivity, completedDate: completed, dueDateTime: null, status: t.status,
      priority: t.priority, queueID: t.queueID, source: t.source, issueType: t.issueType, subIssueType: t.subIssueType,
      ticketType: t.ticketType, problemTicketId: t.problem?.id ?? null, externalID: null, assignedResourceID: t.assignedResourceID,
      assignedResourceRoleID: t.assignedResourceRoleID, estimatedHours: null, resolution: null, creatorType: 1,
      creatorResourceID: API_USER_RESOURCE_ID, lastActivityPersonType: 1, lastActivityResourceID: t.assignedResourceID ?? API_USER_RESOURCE_ID };
  });
}

export interface DemoTenant {
  data: TenantData;
  facts: DemoFacts;
}

export function buildDemoTenant(options: { now?: Date; apiUserName?: string } = {}): DemoTenant {
  const now = options.now ?? new Date();
  const rng = createRng(DEMO_SEED);
  const specs = buildDemoTickets(now, rng).sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
  let ticketId = 48_210;
  for (const spec of specs) { ticketId += 1 + (rng.chance(0.3) ? rng.int(1, 8) : 0); spec.id = ticketId; }
  const billing = buildDemoBilling(now, rng, specs);
  const base = baseRecords(options.apiUserName ?? 'api@sandbox.local');
  const data: TenantData = {
    apiUserResourceId: API_USER_RESOURCE_ID,
    records: {
      ...base,
      Companies: [...base.Companies, ...companies(now)],
      Contracts: contracts(now),
      ConfigurationItems: configurationItems(),
      Tickets: ticketRecords(now, specs, billing.timeEntries),
      TimeEntries: billing.timeEntries,
      BillingItems: billing.billingItems,
      Invoices: billing.invoices,
    },
  };
  return { data, facts: computeDemoFacts(data, specs) };
}

/** The technicians of every scenario (the same as DEMO_FACTS.technicians). */
export const DEMO_TECHNICIANS: readonly Technician[] = TECHNICIANS;
export { OWNER_COMPANY_ID, ROLE_IDS };

/** Facts of the demo tenant; identical for every `now` (see the demo scenario test). */
export const DEMO_FACTS: DemoFacts = buildDemoTenant({ now: new Date('2026-03-15T12:00:00.000Z') }).facts;
