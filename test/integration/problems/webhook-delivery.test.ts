/**
 * Issue 16 item 1: one delivery is Guid + entity + Id + SequenceNumber (Guid names the webhook, not the event;
 * docs/autotask-samples.md "Webhooks"), replays are bounded by EventTime, and each tenant verifies with its own
 * secret so a body signed for one tenant is refused by another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { signHookBody } from '../../../src/lib/hook-signature.js';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { sandboxEnv } from '../../helpers/harness.js';
import { startProduct, type Product } from '../../helpers/product.js';

const SECRET = 'default-tenant-hook-secret';
const ACME_SECRET = 'acme-tenant-hook-secret';
const NOW = new Date('2026-03-02T10:00:00.000Z');
const GUID = 'a1da62a4-2c49-40a8-8183-69994ce5b3eb';
let p: Product;

function event(overrides: Record<string, unknown>): string {
  return JSON.stringify({ Action: 'Update', Guid: GUID, EntityType: 'Ticket', Id: DEMO_FACTS.monitoringNoiseTicketIds[0],
    Fields: {}, EventTime: '2026-03-02T09:59:30Z', SequenceNumber: 1, PersonID: 1, ...overrides });
}

async function post(body: string, secret: string, tenant?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${p.url}/webhooks/autotask${tenant ? `?tenant=${tenant}` : ''}`, { method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-hook-signature': signHookBody(secret, body) } });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

beforeAll(async () => {
  p = await startProduct({
    worker: false, now: () => NOW,
    env: { AUTOTASK_WEBHOOK_SECRET: SECRET, ACME_USER: 'u', ACME_SECRET: 's', ACME_CODE: 'c', ACME_HOOK: ACME_SECRET },
    file: { tenants: [{ id: 'acme', usernameEnv: 'ACME_USER', secretEnv: 'ACME_SECRET', integrationCodeEnv: 'ACME_CODE',
      webhookSecretEnv: 'ACME_HOOK', baseUrl: 'http://127.0.0.1:9/ATServicesRest/' }] },
  });
});
afterAll(async () => { await p?.close(); });

describe('webhook delivery identity', () => {
  it('accepts every event of one webhook (same Guid, next SequenceNumber) and refuses only a repeat of one delivery', async () => {
    const create = event({ Action: 'Create', SequenceNumber: 1 });
    const update = event({ Action: 'Update', SequenceNumber: 2, EventTime: '2026-03-02T09:59:40Z' });
    expect((await post(create, SECRET)).status).toBe(202);
    const second = await post(update, SECRET);
    expect(second.status).toBe(202);
    expect(second.body.jobId).toBeDefined();
    expect(await post(update, SECRET)).toEqual({ status: 200, body: { duplicate: true } });
    // Another ticket under the same webhook Guid and sequence is another delivery.
    expect((await post(event({ Id: DEMO_FACTS.monitoringNoiseTicketIds[1], SequenceNumber: 2 }), SECRET)).status).toBe(202);
  });

  it('refuses a signed event older than the replay window, or from the future, naming EventTime', async () => {
    const old = await post(event({ SequenceNumber: 50, EventTime: '2026-03-02T08:00:00Z' }), SECRET);
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ error: 'WEBHOOK_REPLAY', message: expect.stringMatching(/^body\.EventTime: .*older than 60 min/) });
    const future = await post(event({ SequenceNumber: 51, EventTime: '2026-03-02T11:00:00Z' }), SECRET);
    expect(future.body.message).toMatch(/^body\.EventTime: .*in the future/);
    const none = await post(JSON.stringify({ Action: 'Update', Guid: GUID, EntityType: 'Ticket', Id: 5, SequenceNumber: 52 }), SECRET);
    expect(none).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.EventTime: required/) } });
  });

  it('verifies with the secret of the tenant the query names: a body signed for one tenant is refused by another', async () => {
    const body = event({ SequenceNumber: 60 });
    expect((await post(body, SECRET, 'acme')).status).toBe(401);
    expect((await post(body, ACME_SECRET)).status).toBe(401);
    expect((await post(body, ACME_SECRET, 'acme')).status).toBe(202);
    expect((await post(body, SECRET, 'nobody')).status).toBe(401);
  });
});

describe('webhook secrets in config', () => {
  it('refuses two tenants sharing one webhook secret, and a named secret variable that is not set', () => {
    const base = { ...sandboxEnv({ credentials: { username: 'u', secret: 's', integrationCode: 'c' }, zoneUrl: 'http://127.0.0.1:9/' } as never),
      AUTOTASK_WEBHOOK_SECRET: SECRET, B_USER: 'u', B_SECRET: 's', B_CODE: 'c' };
    const tenants = [{ id: 'b', usernameEnv: 'B_USER', secretEnv: 'B_SECRET', integrationCodeEnv: 'B_CODE', webhookSecretEnv: 'B_HOOK' }];
    expect(() => loadConfig({ env: { ...base, B_HOOK: SECRET }, file: { tenants } })).toThrow(/tenant b webhook secret: the same as tenant default's/);
    expect(() => loadConfig({ env: base, file: { tenants } })).toThrow(/B_HOOK: not set/);
    expect(loadConfig({ env: { ...base, B_HOOK: 'another-secret' }, file: { tenants } }).tenants.map((t) => t.webhookSecret)).toEqual([SECRET, 'another-secret']);
  });
});

describe('webhook Deactivated notices', () => {
  it('are recorded, signed or not, and shown in /metrics and /readyz instead of answered 401 and forgotten', async () => {
    const notice = JSON.stringify({ Action: 'Deactivated', Guid: 'c0ffee00-0000-4000-8000-000000000001', EventTime: '2026-03-02T09:58:00Z' });
    const unsigned = await fetch(`${p.url}/webhooks/autotask`, { method: 'POST', body: notice, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(200);
    expect(await unsigned.json()).toEqual({ recorded: 'Deactivated', signed: false });
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metrics).toMatch(/autotask_webhook_deactivations\{tenant="default"\} 1/);
    const ready = await (await fetch(`${p.url}/readyz`)).json() as { checks: Record<string, { ok: boolean; reason?: string }> };
    expect(ready.checks['webhooks:default']?.reason).toMatch(/deactivated 1 webhook\(s\): c0ffee00-0000-4000-8000-000000000001 .*unsigned notice.*re-activate/);
    expect(ready.checks['webhooks:acme']).toBeUndefined();
  });

  it('a signed delivery of the re-activated webhook clears its notice', async () => {
    const guid = 'c0ffee00-0000-4000-8000-000000000002';
    const notice = JSON.stringify({ Action: 'Deactivated', Guid: guid, EventTime: '2026-03-02T09:58:30Z' });
    expect((await post(notice, SECRET)).body).toEqual({ recorded: 'Deactivated', signed: true });
    const readyz = async () => ((await (await fetch(`${p.url}/readyz`)).json()) as { checks: Record<string, { reason?: string }> }).checks['webhooks:default']?.reason ?? '';
    expect(await readyz()).toContain(guid);
    expect((await post(event({ Guid: guid, SequenceNumber: 70, EventTime: '2026-03-02T09:59:50Z' }), SECRET)).status).toBe(202);
    expect(await readyz()).not.toContain(guid);
    expect(await readyz()).toContain('c0ffee00-0000-4000-8000-000000000001');
  });
});
