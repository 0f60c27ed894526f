import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS, escapedJson, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { client } from './helpers.js';

interface Received { body: string; signature: string | undefined }

/** What a receiver does (docs/autotask-api.md#webhooks): HMAC-SHA1 of the raw body, base64, compared in constant time. */
function verifies(secret: string, body: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('base64')}`);
  const given = Buffer.from(header ?? '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe('sandbox ticket webhooks', () => {
  const received: Received[] = [];
  let receiver: Server;
  let receiverUrl: string;
  let sandbox: SandboxHandle;
  const secret = 'hook-secret';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-hook-signature'] as string | undefined });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/autotask`;
    sandbox = await startSandbox({ scenario: 'demo', webhook: { url: receiverUrl, secret } });
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('posts a signed Create and Update with Autotask\'s payload keys', async () => {
    const api = client(sandbox);
    const created = await api.post<{ itemId: number }>('Tickets', { companyID: DEMO_FACTS.companies.northwind,
      title: 'Webhook "quoted" & <tagged> café', status: 1, priority: 2 });
    await api.patch('Tickets', { id: created.json.itemId, priority: 1 });
    await sandbox.flushWebhooks();
    expect(received).toHaveLength(2);
    const [create, update] = received.map((r) => ({ ...r, payload: JSON.parse(r.body) as Record<string, unknown> }));
    expect(Object.keys(create?.payload ?? {}).sort()).toEqual(['Action', 'EntityType', 'EventTime', 'Fields', 'Guid', 'Id', 'PersonID', 'SequenceNumber']);
    expect(create?.payload).toMatchObject({ Action: 'Create', EntityType: 'Ticket', Id: created.json.itemId, PersonID: DEMO_FACTS.apiUserResourceId });
    expect((create?.payload.Fields as Record<string, unknown>).title).toBe('Webhook "quoted" & <tagged> café');
    expect(update?.payload).toMatchObject({ Action: 'Update', Id: created.json.itemId, Fields: expect.objectContaining({ priority: 1 }) });
    expect(update?.payload.SequenceNumber).toBe((create?.payload.SequenceNumber as number) + 1);
    // The Guid names the webhook, not the event (docs/autotask-samples.md): the same on both callouts.
    expect(update?.payload.Guid).toBe(create?.payload.Guid);
    for (const r of received) expect(verifies(secret, r.body, r.signature)).toBe(true);
    expect(verifies('other-secret', create?.body ?? '', create?.signature)).toBe(false);
    expect(sandbox.stats().webhooks).toEqual({ sent: 2, delivered: 2, failed: 0 });
    expect(sandbox.webhookDeliveries.map((d) => d.status)).toEqual([200, 200]);
  });

  it('can sign the \\u-escaped form Autotask has been seen signing', async () => {
    received.length = 0;
    sandbox.setWebhook({ url: receiverUrl, secret, signatureOver: 'escaped' });
    const api = client(sandbox);
    await api.post('Tickets', { companyID: DEMO_FACTS.companies.northwind, title: 'Escaped & "signed" ü', status: 1, priority: 2 });
    await sandbox.flushWebhooks();
    const [hook] = received;
    expect(verifies(secret, hook?.body ?? '', hook?.signature)).toBe(false);
    expect(verifies(secret, escapedJson(hook?.body ?? ''), hook?.signature)).toBe(true);
    sandbox.setWebhook(null);
  });

  it('never sends webhooks for entities that have none (billing items)', async () => {
    received.length = 0;
    sandbox.setWebhook({ url: receiverUrl, secret });
    const id = DEMO_FACTS.invoiceGroups[1]?.billingItemIDs[0] as number;
    expect((await client(sandbox).patch('BillingItems', { id, webServiceDate: '2026-03-01T00:00:00Z' })).status).toBe(200);
    await sandbox.flushWebhooks();
    expect(received).toHaveLength(0);
  });
});
