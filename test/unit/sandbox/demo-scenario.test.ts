import { describe, expect, it } from 'vitest';
import { DEMO_FACTS, buildDemoTenant, type SandboxRecord } from '../../../src/sandbox/index.js';

const now = new Date('2026-07-09T08:30:00.000Z');
const demo = buildDemoTenant({ now });
const records = demo.data.records;
const tickets = records.Tickets ?? [];
const items = records.BillingItems ?? [];
const byId = <T extends SandboxRecord>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));

describe('demo scenario', () => {
  it('has the same facts for any "now"', () => {
    expect(demo.facts).toEqual(DEMO_FACTS);
    expect(buildDemoTenant({ now: new Date('2025-01-01T23:59:00.000Z') }).facts).toEqual(DEMO_FACTS);
  });

  it('keeps every date recent and in the past', () => {
    const dated = [...tickets.map((t) => t.createDate), ...items.map((b) => b.postedDate), ...(records.TimeEntries ?? []).map((e) => e.endDateTime)];
    for (const value of dated) {
      const at = Date.parse(value as string);
      expect(at).toBeLessThan(now.getTime());
      expect(at).toBeGreaterThan(now.getTime() - 70 * 86_400_000);
    }
  });

  it('shares one PO between the managed-services and block-hours contracts; the project has its own', () => {
    const contracts = byId(records.Contracts ?? []);
    const shared = DEMO_FACTS.contractsByPurchaseOrder[DEMO_FACTS.purchaseOrders.northwindShared];
    expect(shared).toEqual([DEMO_FACTS.contracts.northwindManaged, DEMO_FACTS.contracts.northwindBlockHours]);
    expect(contracts.get(DEMO_FACTS.contracts.northwindManaged)?.contractType).toBe(7);
    expect(contracts.get(DEMO_FACTS.contracts.northwindBlockHours)?.contractType).toBe(4);
    expect(contracts.get(DEMO_FACTS.contracts.northwindUpgrade)?.contractType).toBe(3);
    expect(contracts.get(DEMO_FACTS.contracts.fabrikamOverage)?.contractType).toBe(1);
    expect(DEMO_FACTS.contractsWithoutPurchaseOrder).toEqual([DEMO_FACTS.contracts.contosoManaged, DEMO_FACTS.contracts.contosoAdHoc]);
  });

  it('has more than 500 open billing items in exact-cent groups whose float sums drift', () => {
    expect(DEMO_FACTS.openBillingItemCount).toBeGreaterThan(500);
    const open = items.filter((b) => b.invoiceID === null && b.webServiceDate === null);
    expect(open).toHaveLength(DEMO_FACTS.openBillingItemCount);
    const keys = DEMO_FACTS.invoiceGroups.map((g) => `${g.companyID}|${g.purchaseOrderNumber}`);
    expect(keys).toEqual(['174|NW-PO-4471', '174|NW-PO-4502', '203|null', '311|FAB-2026-077', '311|FAB-OVR-12']);
    const itemsById = byId(items);
    for (const group of DEMO_FACTS.invoiceGroups) {
      const lines = group.billingItemIDs.map((id) => itemsById.get(id) as SandboxRecord);
      expect(lines.every((b) => b.companyID === group.companyID && b.purchaseOrderNumber === group.purchaseOrderNumber)).toBe(true);
      const cents = (key: string) => lines.reduce((sum, b) => sum + Math.round((b[key] as number) * 100), 0);
      expect(cents('extendedPrice')).toBe(group.subtotalCents);
      expect(group.subtotalCents + group.taxCents).toBe(group.totalCents);
      for (const b of lines) expect(Math.round((b.extendedPrice as number) * 100)).toBe(Math.round((b.quantity as number) * (b.rate as number) * 100));
    }
    expect(DEMO_FACTS.invoiceGroups.some((g) => g.floatTotal * 100 !== g.totalCents)).toBe(true);
    expect(items.filter((b) => [0.1, 0.2, 0.7].includes(b.extendedPrice as number)).length).toBeGreaterThan(300);
  });

  it('keeps invoiced and marked items out of the open groups, with invoices that match their lines', () => {
    const inGroups = new Set(DEMO_FACTS.invoiceGroups.flatMap((g) => g.billingItemIDs));
    for (const id of [...DEMO_FACTS.invoicedBillingItemIds, ...DEMO_FACTS.markedBillingItemIds]) expect(inGroups.has(id)).toBe(false);
    expect(DEMO_FACTS.markedBillingItemIds).toHaveLength(5);
    for (const invoice of records.Invoices ?? []) {
      const lines = items.filter((b) => b.invoiceID === invoice.id);
      expect(lines.length).toBeGreaterThan(0);
      expect(Math.round((invoice.invoiceTotal as number) * 100)).toBe(lines.reduce((s, b) => s + Math.round((b.totalAmount as number) * 100), 0));
    }
  });

  it('has an offline server alerting every afternoon for two weeks, and a decoy on another company', () => {
    const ticketsById = byId(tickets);
    const narc = DEMO_FACTS.narcolepticServer.ticketIds.map((id) => ticketsById.get(id) as SandboxRecord);
    expect(narc).toHaveLength(14);
    const days = new Set(narc.map((t) => String(t.createDate).slice(0, 10)));
    expect(days.size).toBe(14);
    for (const t of narc) {
      const hour = new Date(t.createDate as string).getUTCHours();
      expect(hour).toBeGreaterThanOrEqual(12);
      expect(hour).toBeLessThan(18);
      expect(t).toMatchObject({ source: 8, configurationItemID: DEMO_FACTS.narcolepticServer.configurationItemID, companyID: DEMO_FACTS.companies.northwind });
      expect(String(t.title)).toMatch(/SRV-DC01/);
    }
    expect(new Set(narc.map((t) => t.title)).size).toBeGreaterThan(1);
    const decoy = ticketsById.get(DEMO_FACTS.narcolepticServer.decoyTicketIds[0] as number);
    expect(decoy?.companyID).not.toBe(DEMO_FACTS.companies.northwind);
  });

  it('has a backup job failing every few days, linked to an existing Problem except the newest failure', () => {
    const ticketsById = byId(tickets);
    const problem = ticketsById.get(DEMO_FACTS.existingProblemId);
    expect(problem?.ticketType).toBe(3);
    const backup = DEMO_FACTS.backupJob;
    expect(backup.linkedTicketIds.length).toBeGreaterThanOrEqual(5);
    for (const id of backup.linkedTicketIds) expect(ticketsById.get(id)?.problemTicketId).toBe(DEMO_FACTS.existingProblemId);
    const newest = ticketsById.get(backup.unlinkedTicketIds[0] as number);
    expect(newest).toMatchObject({ problemTicketId: null, configurationItemID: backup.configurationItemID, source: 8 });
    expect(Math.max(...backup.ticketIds)).toBe(newest?.id);
    const gaps = backup.ticketIds.map((id) => Date.parse(ticketsById.get(id)?.createDate as string))
      .map((t, i, all) => (i === 0 ? 3 : (t - (all[i - 1] as number)) / 86_400_000));
    for (const gap of gaps) expect(Math.round(gap)).toBe(3);
  });

  it('assigns tickets to technicians with roles they hold, and keeps one on the inactive technician', () => {
    const roles = new Set((records.ResourceRoles ?? []).map((rr) => `${String(rr.resourceID)}|${String(rr.roleID)}`));
    for (const t of tickets.filter((x) => x.assignedResourceID !== null)) {
      expect(roles.has(`${String(t.assignedResourceID)}|${String(t.assignedResourceRoleID)}`)).toBe(true);
    }
    expect(DEMO_FACTS.assignedOpenTickets.length).toBeGreaterThanOrEqual(5);
    expect(DEMO_FACTS.ticketAssignedToInactive.resourceId).toBe(DEMO_FACTS.inactiveResourceId);
    const entries = records.TimeEntries ?? [];
    const ticketsById = byId(tickets);
    for (const e of entries) expect(e.roleID).toBe(ticketsById.get(e.ticketID as number)?.assignedResourceRoleID);
    expect(tickets.map((t) => t.id)).toEqual([...tickets.map((t) => t.id)].sort((a, b) => a - b));
  });
});
