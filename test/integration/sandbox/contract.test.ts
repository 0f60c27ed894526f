/**
 * Contract between the sandbox and the client's pure classifier (src/autotask/classify.ts, the same verdicts as
 * test/fixtures/autotask/error-bodies.json): every failure the sandbox produces must be classified as the
 * real answer it imitates. Plain fetch produces the answers; only the classifier is imported, never the client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyResponse, type Operation } from '../../../src/autotask/classify.js';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { ALL, authHeaders } from './helpers.js';

describe('sandbox answers agree with the client classifier', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => { sandbox = await startSandbox({ scenario: 'demo', threshold: { tierDelayScale: 0 } }); });
  afterAll(async () => { await sandbox.close(); });

  const verdict = async (response: Response, operation: Operation, method: string, entity: string) => {
    const text = await response.text();
    let body: unknown = text === '' ? undefined : text;
    try { body = JSON.parse(text); } catch { /* raw text stays */ }
    const c = classifyResponse({ status: response.status, body, operation, method, entity, retryAfter: response.headers.get('retry-after') });
    return { code: c.error.code, retry: c.retry };
  };
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(path.startsWith('http') ? path : `${sandbox.url}V1.0/${path}`, { method, headers: authHeaders(sandbox, headers),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('classifies authentication failures as AUTOTASK_AUTH', async () => {
    const zone = await fetch(`${sandbox.zoneUrl}V1.0/zoneInformation?user=ghost%40example.com`);
    expect(await verdict(zone, 'zone', 'GET', 'zoneInformation')).toEqual({ code: 'AUTOTASK_AUTH', retry: false });
    const variants: Array<Record<string, string>> = [{ Secret: 'wrong' }, { UserName: 'ghost@example.com' }, { ApiIntegrationCode: 'BAD' }];
    for (const headers of variants) {
      const response = await send('POST', 'Tickets/query', { filter: ALL }, headers);
      expect(await verdict(response, 'read', 'POST', 'Tickets')).toEqual({ code: 'AUTOTASK_AUTH', retry: false });
    }
  });

  it('classifies validation 500s as AUTOTASK_VALIDATION, not retried', async () => {
    const answers = [
      await send('POST', 'Tickets/query', { filter: ALL, MaxRecords: 501 }),
      await send('POST', 'Tickets/query', { filter: [{ op: 'eq', field: 'creatorType', value: 1 }] }),
      await send('POST', 'Tickets', { companyID: 424_242, title: 'x', status: 1, priority: 2 }),
      await send('PATCH', 'BillingItems', { id: DEMO_FACTS.invoiceGroups[0]?.billingItemIDs[0], invoiceID: 1 }),
      await send('PATCH', 'Tickets', { id: DEMO_FACTS.backupJob.unlinkedTicketIds[0], problemTicketId: DEMO_FACTS.narcolepticServer.ticketIds[0] }),
      await send('POST', 'TimeEntries', { ticketID: DEMO_FACTS.assignedOpenTickets[0]?.ticketId, resourceID: DEMO_FACTS.apiUserResourceId,
        roleID: DEMO_FACTS.assignedOpenTickets[0]?.roleId, dateWorked: '2026-03-01', hoursWorked: 1, summaryNotes: 'x' }),
    ];
    for (const response of answers) {
      expect(response.status).toBe(500);
      expect(await verdict(response, 'write', 'POST', 'Tickets')).toEqual({ code: 'AUTOTASK_VALIDATION', retry: false });
    }
  });

  it('classifies wrong routes and methods as AUTOTASK_ROUTE; an absent record is 200 {"item": null} as on real tenants', async () => {
    const first = await (await send('POST', 'Tickets/query', { filter: ALL, MaxRecords: 5 })).json() as { pageDetails: { nextPageUrl: string } };
    expect(await verdict(await send('GET', first.pageDetails.nextPageUrl), 'read', 'GET', 'Tickets')).toEqual({ code: 'AUTOTASK_ROUTE', retry: false });
    expect(await verdict(await send('POST', 'Invoices', { companyID: 174 }), 'create', 'POST', 'Invoices')).toMatchObject({ code: 'AUTOTASK_ROUTE' });
    expect(await verdict(await send('PATCH', 'Tickets/48211', { title: 'x' }), 'write', 'PATCH', 'Tickets')).toMatchObject({ code: 'AUTOTASK_ROUTE' });
    expect(await verdict(await send('POST', 'Ticket/query', { filter: ALL }), 'read', 'POST', 'Ticket')).toMatchObject({ code: 'AUTOTASK_ROUTE' });
    const missing = await send('GET', 'Tickets/1');
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual({ item: null });
  });

  it('classifies injected server errors as transient, and as an unknown outcome on a create', async () => {
    sandbox.setFaults({ faultRate: 1, faultKinds: ['error500'] });
    try {
      expect(await verdict(await send('POST', 'Tickets/query', { filter: ALL }), 'read', 'POST', 'Tickets'))
        .toEqual({ code: 'AUTOTASK_TRANSIENT', retry: true });
      expect(await verdict(await send('POST', 'Tickets', { companyID: 174, title: 'x', status: 1, priority: 2 }), 'create', 'POST', 'Tickets'))
        .toEqual({ code: 'AUTOTASK_CREATE_OUTCOME_UNKNOWN', retry: false });
    } finally {
      sandbox.setFaults({ faultRate: 0 });
    }
  });

  it('classifies the thread limit and the hourly threshold', async () => {
    sandbox.setFaults({ latencyMs: 1000 });
    const burst = await Promise.all(Array.from({ length: 4 }, () => send('POST', 'Contracts/query', { filter: ALL })));
    sandbox.setFaults({ latencyMs: 0 });
    const throttled = burst.find((r) => r.status === 429) as Response;
    expect(await verdict(throttled, 'read', 'POST', 'Contracts')).toEqual({ code: 'AUTOTASK_THREAD_LIMIT', retry: true });
    sandbox.setLimits({ threshold: { limit: 5, used: 5 } });
    try {
      expect(await verdict(await send('POST', 'Tickets/query', { filter: ALL }), 'read', 'POST', 'Tickets'))
        .toEqual({ code: 'AUTOTASK_THRESHOLD_EXCEEDED', retry: false });
    } finally {
      sandbox.setLimits({ threshold: { limit: 10_000, used: 0 } });
    }
  });
});
