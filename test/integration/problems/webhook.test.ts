import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHookBody } from '../../../src/lib/hook-signature.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, runJob, startProduct, type Product } from '../../helpers/product.js';

const SECRET = 'webhook-secret-for-tests';
let p: Product;


function post(body: string | Buffer, signature?: string): Promise<Response> {
  return fetch(`${p.url}/webhooks/autotask`, { method: 'POST', body,
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-hook-signature': signature } : {}) } });
}

beforeAll(async () => {
  p = await startProduct({ env: { AUTOTASK_WEBHOOK_SECRET: SECRET } });
  await runJob(p, 'sync-tickets');
  await runJob(p, 'detect-problems');
});
afterAll(async () => { await p?.close(); });

describe('POST /webhooks/autotask', () => {
  it('links a new alert of the narcoleptic server to its Problem end to end from the sandbox\'s webhook', async () => {
    const { data } = p.sandbox;
    const problem = data.all('Tickets').find((t) => t.ticketType === 3 && t.configurationItemID === DEMO_FACTS.narcolepticServer.configurationItemID)!;
    expect(problem).toBeDefined();
    p.sandbox.setWebhook({ url: `${p.url}/webhooks/autotask`, secret: SECRET, signatureOver: 'escaped' });
    const sample = data.get('Tickets', DEMO_FACTS.narcolepticServer.ticketIds.at(-1)!)!;
    const client = p.runtime.services.tenants.get('default').client;
    const id = await client.create('Tickets', { title: 'Server SRV-DC01 is offline', companyID: sample.companyID,
      configurationItemID: sample.configurationItemID, status: 1, priority: sample.priority, queueID: sample.queueID,
      source: sample.source, issueType: sample.issueType, subIssueType: sample.subIssueType, ticketType: 5 });
    await eventually(async () => data.get('Tickets', id)?.problemTicketId === problem.id, 10_000, 'the webhook-driven link');
    expect(p.sandbox.webhookDeliveries.length).toBeGreaterThan(0);
  });

  it('refuses a missing or wrong signature with 401 before reading the body, and de-duplicates deliveries', async () => {
    const body = JSON.stringify({ Action: 'Update', Guid: 'guid-1', EntityType: 'Ticket', Id: DEMO_FACTS.monitoringNoiseTicketIds[0], SequenceNumber: 1, EventTime: new Date().toISOString() });
    expect((await post(body)).status).toBe(401);
    expect((await post(body, signHookBody('wrong-secret', body))).status).toBe(401);
    expect((await post('{not json', signHookBody('wrong-secret', '{not json'))).status).toBe(401);
    const first = await post(body, signHookBody(SECRET, body));
    expect(first.status).toBe(202);
    const replay = await post(body, signHookBody(SECRET, body));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ duplicate: true });
  });

  it('a Delete callout takes a ticket Autotask no longer has out of the store, and one for a ticket it still has changes nothing', async () => {
    const entities = p.runtime.services.tenants.get('default').entities;
    const delivered = async (id: number, guid: string) => {
      const body = JSON.stringify({ Action: 'Delete', Guid: guid, EntityType: 'Ticket', Id: id, SequenceNumber: 3, EventTime: new Date().toISOString() });
      const response = await post(body, signHookBody(SECRET, body));
      expect(response.status).toBe(202);
      const { jobId } = (await response.json()) as { jobId: string };
      return eventually(async () => {
        const job = await p.api('GET', `/api/jobs/${jobId}`);
        return job.body.state === 'completed' ? job.body as { result: { summary: string; counts: Record<string, number> } } : undefined;
      }, 10_000, `the detect-problems run of ${id}'s Delete`);
    };
    // The ticket the de-duplication test above called out an Update for: on a busy machine that run may still be
    // under way, and a Delete folded into it (one de-duplication id per job and data) was lost in 1 of 3 runs.
    const [deleted, kept] = DEMO_FACTS.monitoringNoiseTicketIds as readonly number[];
    expect(await entities.get('Tickets', deleted!)).not.toBeNull();
    // Deleted in Autotask's UI (the API cannot delete tickets), then the callout.
    p.sandbox.data.remove('Tickets', deleted!);
    const gone = await delivered(deleted!, 'guid-delete-1');
    // (If the Update's run was still waiting, it met the deletion first and took the ticket out itself.)
    expect(gone.result.summary).toContain(`ticket ${deleted} no longer exists in Autotask`);
    expect(await entities.get('Tickets', deleted!)).toBeNull();
    // A Delete that Autotask's own answer contradicts (late, out of order, or not what it says): the ticket stays.
    const stays = await delivered(kept!, 'guid-delete-2');
    expect(stays.result.counts.ticketsRemoved).toBe(0);
    expect(await entities.get('Tickets', kept!)).not.toBeNull();
  });

  it('answers 400 naming the field for a signed but malformed payload, and ignores other entities', async () => {
    const bad = JSON.stringify({ Action: 'Explode', EntityType: 'Ticket', Id: 1 });
    const response = await post(bad, signHookBody(SECRET, bad));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^body\.Action/);
    const notJson = 'not json at all';
    expect((await post(notJson, signHookBody(SECRET, notJson))).status).toBe(400);
    const company = JSON.stringify({ Action: 'Update', Guid: 'guid-company', EntityType: 'Company', Id: 5, EventTime: new Date().toISOString() });
    expect((await post(company, signHookBody(SECRET, company))).status).toBe(202);
  });
});
