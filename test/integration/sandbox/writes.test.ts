import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { client } from './helpers.js';

type Errors = { errors: string[] };
type Row = { id: number } & Record<string, unknown>;


/** Waits until the clock has moved past `isoTime` (a condition, not a guessed delay). */
async function clockPast(isoTime: string): Promise<void> {
  await vi.waitFor(() => { expect(Date.now()).toBeGreaterThan(Date.parse(isoTime)); }, { interval: 1 });
}

describe('sandbox writes (docs/autotask-api.md#writing, #contracts to #look-ups)', () => {
  let sandbox: SandboxHandle;
  let api: ReturnType<typeof client>;
  beforeAll(async () => { sandbox = await startSandbox({ scenario: 'demo' }); api = client(sandbox); });
  afterAll(async () => { await sandbox.close(); });

  const newTicket = (extra: Record<string, unknown> = {}) => ({ companyID: DEMO_FACTS.companies.northwind, title: 'Sandbox test ticket',
    status: 1, priority: 2, queueID: 29683481, ...extra });
  const openTicket = DEMO_FACTS.assignedOpenTickets[0] as { ticketId: number; resourceId: number; roleId: number };
  const entry = (extra: Record<string, unknown> = {}) => ({ ticketID: openTicket.ticketId, resourceID: openTicket.resourceId,
    roleID: openTicket.roleId, dateWorked: '2026-03-10', startDateTime: '2026-03-10T09:00:00', endDateTime: '2026-03-10T10:30:00',
    hoursWorked: 1.5, summaryNotes: 'Checked the mail flow', ...extra });

  it('refuses POST /Invoices and POST /BillingItems with 405', async () => {
    const invoice = await api.post('Invoices', { companyID: DEMO_FACTS.companies.northwind });
    expect(invoice.status).toBe(405);
    expect(invoice.json).toHaveProperty('Message');
    expect((await api.post('BillingItems', { companyID: DEMO_FACTS.companies.northwind })).status).toBe(405);
  });

  it('updates only webServiceDate of a billing item', async () => {
    const id = DEMO_FACTS.invoiceGroups[0]?.billingItemIDs[0] as number;
    const ok = await api.patch<{ itemId: number }>('BillingItems', { id, webServiceDate: '2026-03-14T10:00:00' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ itemId: id });
    expect(sandbox.data.get('BillingItems', id)?.webServiceDate).toBe('2026-03-14T10:00:00.000Z');
    const refused = await api.patch<Errors>('BillingItems', { id, webServiceDate: null, invoiceID: 5301 });
    expect(refused.status).toBe(500);
    expect(refused.json.errors.join()).toMatch(/invoiceID/);
    expect(sandbox.data.get('BillingItems', id)?.invoiceID).toBeNull();
    expect(sandbox.data.get('BillingItems', id)?.webServiceDate).toBe('2026-03-14T10:00:00.000Z');
    await api.patch('BillingItems', { id, webServiceDate: null });
    expect(sandbox.stats().writes.BillingItems?.PATCH).toBe(2);
  });

  it('has no PATCH /{Entity}/{id} route and needs the id in the body', async () => {
    expect((await api.patch(`Tickets/${openTicket.ticketId}`, { title: 'x' })).status).toBe(405);
    expect((await api.patch<Errors>('Tickets', { title: 'x' })).status).toBe(500);
    expect((await api.patch<Errors>('Tickets', { id: 1, title: 'x' })).status).toBe(500);
  });

  it('creates a ticket with required fields, numbering and dates; refuses read-only and missing fields', async () => {
    const created = await api.post<{ itemId: number }>('Tickets', newTicket());
    expect(created.status).toBe(200);
    const ticket = (await api.get<{ item: Row }>(`Tickets/${created.json.itemId}`)).json.item;
    expect(ticket.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/);
    expect(ticket.createDate).toBe(ticket.lastActivityDate);
    expect(ticket.ticketType).toBe(1);
    expect(created.json.itemId).toBeGreaterThan(Math.max(...sandbox.data.all('Tickets').filter((t) => t.id !== ticket.id).map((t) => t.id)));
    const missing = await api.post<Errors>('Tickets', { companyID: DEMO_FACTS.companies.northwind, title: 'no status' });
    expect(missing.status).toBe(500);
    expect(missing.json.errors.join()).toMatch(/status/);
    expect(missing.json.errors.join()).toMatch(/priority/);
    const readOnly = await api.post<Errors>('Tickets', newTicket({ ticketNumber: 'T1' }));
    expect(readOnly.status).toBe(500);
    expect(readOnly.json.errors.join()).toMatch(/ticketNumber/);
    const badRef = await api.post<Errors>('Tickets', newTicket({ companyID: 999_999 }));
    expect(badRef.json.errors).toContain('Reference value on field: companyID of type: Company does not exist or is invalid.');
    const inactivePriority = await api.post<Errors>('Tickets', newTicket({ priority: 6 }));
    expect(inactivePriority.status).toBe(500);
    const tooLong = await api.post<Errors>('Tickets', newTicket({ title: 'x'.repeat(256) }));
    expect(tooLong.status).toBe(500);
  });

  it('maintains lastActivityDate on update and completedDate with status Complete', async () => {
    const { itemId } = (await api.post<{ itemId: number }>('Tickets', newTicket())).json;
    const before = sandbox.data.get('Tickets', itemId)?.lastActivityDate as string;
    await clockPast(before); // so a maintained lastActivityDate is visibly later
    expect((await api.patch('Tickets', { id: itemId, status: 5 })).status).toBe(200);
    const after = sandbox.data.get('Tickets', itemId);
    expect(Date.parse(after?.lastActivityDate as string)).toBeGreaterThan(Date.parse(before));
    expect(after?.completedDate).not.toBeNull();
    await api.patch('Tickets', { id: itemId, status: 1 });
    expect(sandbox.data.get('Tickets', itemId)?.completedDate).toBeNull();
  });

  it('links an incident only to a Problem ticket', async () => {
    const incident = DEMO_FACTS.backupJob.unlinkedTicketIds[0] as number;
    const notProblem = await api.patch<Errors>('Tickets', { id: incident, problemTicketId: DEMO_FACTS.narcolepticServer.ticketIds[0] });
    expect(notProblem.status).toBe(500);
    expect(notProblem.json.errors.join()).toMatch(/problem/i);
    const missing = await api.patch<Errors>('Tickets', { id: incident, problemTicketId: 1 });
    expect(missing.status).toBe(500);
    const linked = await api.patch('Tickets', { id: incident, problemTicketId: DEMO_FACTS.existingProblemId });
    expect(linked.status).toBe(200);
    expect(sandbox.data.get('Tickets', incident)?.problemTicketId).toBe(DEMO_FACTS.existingProblemId);
    const demote = await api.patch<Errors>('Tickets', { id: DEMO_FACTS.existingProblemId, ticketType: 2 });
    expect(demote.status).toBe(500);
  });

  it('needs both assignedResourceID and assignedResourceRoleID, for an active resource that has the role', async () => {
    const tech = DEMO_FACTS.technicians.find((t) => t.active) as { resourceId: number; roleIds: number[] };
    expect((await api.post('Tickets', newTicket({ assignedResourceID: tech.resourceId }))).status).toBe(500);
    expect((await api.post('Tickets', newTicket({ assignedResourceID: tech.resourceId, assignedResourceRoleID: tech.roleIds[0] }))).status).toBe(200);
    expect((await api.post('Tickets', newTicket({ assignedResourceID: DEMO_FACTS.inactiveResourceId,
      assignedResourceRoleID: DEMO_FACTS.roles.helpDesk }))).status).toBe(500);
    expect((await api.post('Tickets', newTicket({ assignedResourceID: tech.resourceId, assignedResourceRoleID: DEMO_FACTS.roles.projectEngineer }))).status).toBe(500);
  });

  it('creates a time entry with the ticket\'s assigned role and refuses the broken ones', async () => {
    const ok = await api.post<{ itemId: number }>('TimeEntries', entry());
    expect(ok.status).toBe(200);
    const stored = sandbox.data.get('TimeEntries', ok.json.itemId);
    expect(stored?.dateWorked).toBe('2026-03-10T00:00:00.000Z');
    expect(stored?.lastModifiedDateTime).not.toBeNull();
    expect(sandbox.data.get('Tickets', openTicket.ticketId)?.lastActivityDate).toBe(stored?.createDateTime);
    // Autotask checks the role against the resource's own roles, not the ticket's (docs/autotask-samples.md).
    const ownRoles = DEMO_FACTS.technicians.find((t) => t.resourceId === openTicket.resourceId)?.roleIds ?? [];
    const ownOther = ownRoles.find((r) => r !== openTicket.roleId);
    expect((await api.post('TimeEntries', entry({ roleID: ownOther, startDateTime: '2026-03-10T13:00:00', endDateTime: '2026-03-10T14:00:00', hoursWorked: 1 }))).status).toBe(200);
    const notHers = (Object.values(DEMO_FACTS.roles) as number[]).find((r) => !ownRoles.includes(r));
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a role the resource does not have', { roleID: notHers }, /does not have role/],
      ['inactive resource', { resourceID: DEMO_FACTS.inactiveResourceId }, /inactive/],
      ['API user', { resourceID: DEMO_FACTS.apiUserResourceId }, /API user/],
      ['unknown resource', { resourceID: 1 }, /resourceID/],
      ['zero hours', { hoursWorked: 0 }, /hoursWorked/],
      ['25 hours', { hoursWorked: 25, startDateTime: null, endDateTime: null }, /hoursWorked/],
      ['more than the span', { hoursWorked: 2 }, /exceeds/],
      ['end before start', { endDateTime: '2026-03-10T08:00:00' }, /after/],
      ['no ticket', { ticketID: null }, /ticketID/],
      ['no hours at all', { hoursWorked: null, startDateTime: null, endDateTime: null }, /hoursWorked/],
      ['no summary', { summaryNotes: '' }, /summaryNotes/],
    ];
    for (const [name, patch, text] of cases) {
      const reply = await api.post<Errors>('TimeEntries', entry(patch));
      expect(reply.status, name).toBe(500);
      expect(reply.json.errors.join(' '), name).toMatch(text);
    }
    const derived = await api.post<{ itemId: number }>('TimeEntries', entry({ hoursWorked: null }));
    expect(sandbox.data.get('TimeEntries', derived.json.itemId)?.hoursWorked).toBe(1.5);
    const inactive = DEMO_FACTS.ticketAssignedToInactive;
    const refused = await api.post('TimeEntries', entry({ ticketID: inactive.ticketId, resourceID: inactive.resourceId, roleID: inactive.roleId }));
    expect(refused.status).toBe(500);
    const deleted = await fetch(`${sandbox.url}V1.0/TimeEntries/${derived.json.itemId}`, { method: 'DELETE', headers: { ...authHeadersOf(sandbox) } });
    expect(deleted.status).toBe(200);
    expect(sandbox.data.get('TimeEntries', derived.json.itemId)).toBeUndefined();
    expect((await fetch(`${sandbox.url}V1.0/Tickets/${openTicket.ticketId}`, { method: 'DELETE', headers: authHeadersOf(sandbox) })).status).toBe(405);
  });

  it('writes ticket notes through the parent route and counts them as ticket activity', async () => {
    const { itemId: ticketId } = (await api.post<{ itemId: number }>('Tickets', newTicket())).json;
    await clockPast(sandbox.data.get('Tickets', ticketId)?.lastActivityDate as string);
    const note = await api.post<{ itemId: number }>(`Tickets/${ticketId}/Notes`, { title: 'Update', description: 'Called the user', noteType: 1, publish: 1 });
    expect(note.status).toBe(200);
    const stored = sandbox.data.get('TicketNotes', note.json.itemId);
    expect(stored?.ticketID).toBe(ticketId);
    expect(sandbox.data.get('Tickets', ticketId)?.lastActivityDate).toBe(stored?.createDateTime);
    const list = await api.get<{ items: Row[] }>(`Tickets/${ticketId}/Notes`);
    expect(list.json.items.map((n) => n.id)).toEqual([note.json.itemId]);
    expect((await api.post('TicketNotes', { ticketID: ticketId, title: 't', description: 'd', noteType: 1, publish: 1 })).status).toBe(405);
    expect((await api.post(`Tickets/1/Notes`, { title: 't', description: 'd', noteType: 1, publish: 1 })).status).toBe(500);
  });

  it('makes writes as the ImpersonationResourceId when one is sent, and refuses an inactive one', async () => {
    const tech = DEMO_FACTS.technicians.find((t) => t.active) as { resourceId: number };
    const made = await api.call<{ itemId: number }>('POST', 'Tickets', newTicket(), { ImpersonationResourceId: String(tech.resourceId) });
    expect(made.status).toBe(200);
    expect(sandbox.data.get('Tickets', made.json.itemId)?.creatorResourceID).toBe(tech.resourceId);
    const plain = await api.post<{ itemId: number }>('Tickets', newTicket());
    expect(sandbox.data.get('Tickets', plain.json.itemId)?.creatorResourceID).toBe(DEMO_FACTS.apiUserResourceId);
    const refused = await api.call('POST', 'Tickets', newTicket(), { ImpersonationResourceId: String(DEMO_FACTS.inactiveResourceId) });
    expect(refused.status).toBe(500);
  });

  it('maintains lastModifiedDateTime on contracts and replaces with PUT', async () => {
    const id = DEMO_FACTS.contracts.contosoManaged;
    const before = sandbox.data.get('Contracts', id)?.lastModifiedDateTime as string;
    expect((await api.patch('Contracts', { id, purchaseOrderNumber: 'CLL-2026-1' })).status).toBe(200);
    const after = sandbox.data.get('Contracts', id);
    expect(after?.purchaseOrderNumber).toBe('CLL-2026-1');
    expect(Date.parse(after?.lastModifiedDateTime as string)).toBeGreaterThan(Date.parse(before));
    expect((await api.patch('Contracts', { id, purchaseOrderNumber: 'x'.repeat(51) })).status).toBe(500);
    const put = await api.call<Errors>('PUT', 'Contracts', { id, contractName: 'Only a name' });
    expect(put.status).toBe(500);
    expect(put.json.errors.join()).toMatch(/contractType/);
    await api.patch('Contracts', { id, purchaseOrderNumber: null });
  });
});

function authHeadersOf(sandbox: SandboxHandle): Record<string, string> {
  return { ApiIntegrationCode: sandbox.credentials.integrationCode, UserName: sandbox.credentials.username, Secret: sandbox.credentials.secret };
}
