/**
 * The console's read commands when Autotask cannot be reached (issue 18): the Problems page still lists tickets with
 * number and title, unlinked, when zone discovery fails; the overview's usage says what it knows (the budget) and
 * shows no history without a governor rather than failing the page.
 */
import { describe, expect, it } from 'vitest';
import type { StoredTicket } from '../../../src/store/projections.js';
import { closeAfterEach, probeJob, registryOf, startTestRuntime, testConfig } from './support.js';

const { runtimes, prefixes } = closeAfterEach();

function ticket(id: number, ticketNumber: string, title: string): StoredTicket {
  return { id, ticketNumber, title, companyID: null, companyLocationID: null, configurationItemID: null, contactID: null,
    createDate: null, lastActivityDate: '2026-12-06T08:00:00Z', completedDate: null, status: null, priority: null, queueID: null,
    source: null, issueType: null, subIssueType: null, ticketType: null, problemTicketId: null, externalID: null,
    assignedResourceID: null, assignedResourceRoleID: null };
}

describe('console commands without Autotask', () => {
  it('lists tickets unlinked when the web host is unknown, and usage without a governor', async () => {
    const config = testConfig();
    prefixes.push(config.queue.prefix);
    const runtime = await startTestRuntime(config, registryOf([probeJob('sync-tickets').definition]));
    runtimes.push(runtime);
    await runtime.services.tenants.get('default').entities.upsert('Tickets', [ticket(11, 'T20261206.0001', 'Printer <offline>')]);

    expect(await runtime.commands.ticketRefs({ tenant: 'default', ids: [11, 12] })).toEqual([
      { id: 11, ticketNumber: 'T20261206.0001', title: 'Printer <offline>', url: null },
      { id: 12, ticketNumber: null, title: null, url: null },
    ]);
    expect(await runtime.commands.tenantUsage('default')).toEqual({ tenant: 'default',
      budget: { used: 9, ceiling: 5000, threshold: 10000, left: 4991 }, hours: [], error: null,
      thisHour: { requests: 0, throttled429: 0, budgetHeld: 0, slotWaits: 0 }, last24h: { requests: 0, throttled429: 0, budgetHeld: 0, slotWaits: 0 } });
  });
});
