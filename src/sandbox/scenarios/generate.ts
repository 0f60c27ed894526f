/**
 * Large tenants for benchmarks: N tickets, M billing items, K contracts over C companies, deterministic from a
 * seed, with realistic id gaps (identity columns skip values) and recurring alert families among the tickets
 * so problem detection has work to do. 100,000 tickets build in a fraction of a second.
 */
import { BILLING_ITEM_TYPE_IDS, CONTRACT_TYPE_IDS, ISSUE_TYPE_IDS, QUEUE_IDS, SUB_ISSUE_TYPE_IDS, TICKET_STATUS_IDS } from '../picklists.js';
import { createRng, type Rng } from '../random.js';
import { TICKET_SOURCE_MONITORING_ALERT, TICKET_TYPE_INCIDENT, TICKET_TYPE_SERVICE_REQUEST } from '../system-values.js';
import type { SandboxRecord, TenantData } from '../types.js';
import { API_USER_RESOURCE_ID, TECHNICIANS, baseRecords } from './base.js';

export interface GenerateOptions {
  seed?: number;
  tickets?: number;
  billingItems?: number;
  contracts?: number;
  companies?: number;
  /** Newest dates are just before this (default: the current time). */
  now?: Date;
  apiUserName?: string;
}

const DAY_MS = 86_400_000;
const ALERT_FAMILIES = ['Server {ci} is offline', 'Backup job on {ci} failed', 'Disk space low on {ci}',
  'High CPU on {ci}', 'Service Spooler stopped on {ci}', 'Ping loss to {ci}'];
const SERVICE_TITLES = ['Password reset', 'Outlook not syncing', 'New user setup', 'Printer offline', 'VPN not connecting',
  'Install software', 'Laptop slow', 'Teams audio issue', 'Mailbox full', 'Request new hardware', 'MFA enrolment', 'File share access'];

function nextId(rng: Rng, previous: number): number {
  // Mostly consecutive, sometimes small gaps, rarely a large jump (a bulk import or a purge).
  const r = rng.next();
  return previous + 1 + (r < 0.75 ? 0 : r < 0.98 ? rng.int(1, 5) : rng.int(20, 400));
}

export function generateTenant(options: GenerateOptions = {}): TenantData {
  const rng = createRng(options.seed ?? 1);
  const now = (options.now ?? new Date()).getTime();
  const companyCount = Math.max(1, options.companies ?? 50);
  const contractCount = Math.max(1, options.contracts ?? companyCount * 2);
  const ticketCount = Math.max(0, options.tickets ?? 1000);
  const itemCount = Math.max(0, options.billingItems ?? 1000);
  const base = baseRecords(options.apiUserName ?? 'api@sandbox.local');

  const companies: SandboxRecord[] = [...base.Companies];
  let companyId = 100;
  for (let i = 0; i < companyCount; i += 1) {
    companyId = nextId(rng, companyId);
    companies.push({ id: companyId, companyName: `Customer ${i + 1} Ltd`, companyNumber: `CUST${i + 1}`, companyType: 1, isActive: true,
      phone: '+1 555 0100', ownerResourceID: TECHNICIANS[0]?.resourceId ?? null, city: null, createDate: '2020-01-01T00:00:00.000Z',
      lastActivityDate: new Date(now - DAY_MS).toISOString() });
  }
  const customerIds = companies.slice(1).map((c) => c.id);
  const cis: SandboxRecord[] = [];
  let ciId = 29_690_000;
  for (const id of customerIds) {
    for (let k = 0; k < 3; k += 1) {
      ciId = nextId(rng, ciId);
      cis.push({ id: ciId, companyID: id, referenceTitle: `${k === 0 ? 'SRV' : 'WS'}-${String(ciId % 10_000).padStart(4, '0')}`,
        referenceNumber: null, serialNumber: null, isActive: true, configurationItemType: k === 0 ? 3 : 5, productID: 29700001,
        installDate: null, createDate: '2021-01-01T00:00:00.000Z', lastModifiedTime: '2021-01-01T00:00:00.000Z' });
    }
  }
  const contracts: SandboxRecord[] = [];
  let contractId = 29_684_000;
  const types = [CONTRACT_TYPE_IDS.recurringService, CONTRACT_TYPE_IDS.blockHours, CONTRACT_TYPE_IDS.timeAndMaterials, CONTRACT_TYPE_IDS.fixedPrice];
  for (let i = 0; i < contractCount; i += 1) {
    contractId = nextId(rng, contractId);
    const companyID = customerIds[i % customerIds.length] as number;
    contracts.push({ id: contractId, companyID, contractName: `Contract ${i + 1}`, contractNumber: `C-${contractId % 100_000}`,
      contractType: rng.pick(types), contractCategory: 11, status: 1, startDate: '2024-01-01T00:00:00.000Z',
      endDate: '2030-12-31T00:00:00.000Z', purchaseOrderNumber: rng.chance(0.6) ? `PO-${companyID}-${rng.int(1, 3)}` : null,
      billToCompanyID: companyID, lastModifiedDateTime: new Date(now - rng.int(1, 300) * DAY_MS).toISOString() });
  }
  const active = TECHNICIANS.filter((t) => t.active);
  const span = 365 * DAY_MS;
  const tickets: SandboxRecord[] = new Array<SandboxRecord>(ticketCount);
  let ticketId = 40_000;
  for (let i = 0; i < ticketCount; i += 1) {
    ticketId = nextId(rng, ticketId);
    const created = now - span + Math.floor(((i + rng.next()) / Math.max(1, ticketCount)) * (span - 3_600_000));
    const createDate = new Date(created).toISOString();
    const isAlert = rng.chance(0.35);
    const ci = cis[rng.int(0, cis.length - 1)] as SandboxRecord;
    const tech = rng.chance(0.7) ? active[rng.int(0, active.length - 1)] : undefined;
    const done = created < now - 5 * DAY_MS || rng.chance(0.3);
    tickets[i] = { id: ticketId, ticketNumber: `T${createDate.slice(0, 10).replaceAll('-', '')}.${String(i % 10_000).padStart(4, '0')}`,
      title: isAlert ? (ALERT_FAMILIES[rng.int(0, ALERT_FAMILIES.length - 1)] as string).replace('{ci}', String(ci.referenceTitle))
        : `${SERVICE_TITLES[rng.int(0, SERVICE_TITLES.length - 1)] as string} (#${i % 97})`,
      description: null, companyID: isAlert ? ci.companyID : customerIds[rng.int(0, customerIds.length - 1)],
      configurationItemID: isAlert ? ci.id : null, createDate, lastActivityDate: createDate,
      completedDate: done ? new Date(created + 3_600_000).toISOString() : null,
      status: done ? TICKET_STATUS_IDS.complete : rng.pick([TICKET_STATUS_IDS.new, TICKET_STATUS_IDS.inProgress]), priority: rng.pick([1, 2, 3, 4]),
      queueID: isAlert ? QUEUE_IDS.monitoring : QUEUE_IDS.levelOne, source: isAlert ? TICKET_SOURCE_MONITORING_ALERT : 4,
      issueType: isAlert ? ISSUE_TYPE_IDS.hardware : null, subIssueType: isAlert ? SUB_ISSUE_TYPE_IDS.server : null,
      ticketType: isAlert ? TICKET_TYPE_INCIDENT : TICKET_TYPE_SERVICE_REQUEST, problemTicketId: null,
      assignedResourceID: tech?.resourceId ?? null, assignedResourceRoleID: tech?.defaultRoleId ?? null, creatorType: 1,
      creatorResourceID: API_USER_RESOURCE_ID, lastActivityPersonType: 1, lastActivityResourceID: API_USER_RESOURCE_ID };
  }
  const billingItems: SandboxRecord[] = new Array<SandboxRecord>(itemCount);
  let itemId = 1_200_000;
  for (let i = 0; i < itemCount; i += 1) {
    itemId = nextId(rng, itemId);
    const contract = contracts[rng.int(0, contracts.length - 1)] as SandboxRecord;
    const quantity = rng.int(1, 16) / 4;
    const rateCents = rng.pick([10, 20, 70, 9500, 14_500, 12_995]);
    const ext = Math.round(quantity * rateCents);
    const posted = new Date(now - 90 * DAY_MS + Math.floor((i / Math.max(1, itemCount)) * 89 * DAY_MS)).toISOString();
    billingItems[i] = { id: itemId, companyID: contract.companyID, contractID: contract.id, invoiceID: null, itemDate: posted,
      postedDate: posted, purchaseOrderNumber: contract.purchaseOrderNumber, billingItemType: BILLING_ITEM_TYPE_IDS.labor, subType: 1,
      itemName: 'Labor', description: null, quantity, rate: rateCents / 100, extendedPrice: ext / 100, taxDollars: 0,
      totalAmount: ext / 100, ticketID: null, timeEntryID: null, projectID: null, webServiceDate: null };
  }
  return { apiUserResourceId: API_USER_RESOURCE_ID,
    records: { ...base, Companies: companies, ConfigurationItems: cis, Contracts: contracts, Tickets: tickets, BillingItems: billingItems } };
}
