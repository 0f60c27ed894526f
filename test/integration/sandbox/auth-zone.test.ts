import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { authHeaders } from './helpers.js';

describe('sandbox zone discovery and authentication (docs/autotask-api.md#zones, #authentication)', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => { sandbox = await startSandbox({ scenario: 'empty' }); });
  afterAll(async () => { await sandbox.close(); });

  const tickets = (headers: Record<string, string>) => fetch(`${sandbox.url}V1.0/Tickets/query`, {
    method: 'POST', headers, body: JSON.stringify({ filter: [{ op: 'gte', field: 'id', value: 0 }] }) });

  it('answers zone discovery without credentials, pointing at the REST root', async () => {
    const response = await fetch(`${sandbox.zoneUrl}V1.0/zoneInformation?user=${encodeURIComponent(sandbox.credentials.username)}`);
    expect(response.status).toBe(200);
    const zone = await response.json() as { url: string; zoneName: string; webUrl: string; ci: number };
    expect(zone.url).toBe(sandbox.url);
    expect(zone.url.endsWith('/ATServicesRest/')).toBe(true);
    expect(typeof zone.zoneName).toBe('string');
  });

  it('answers zone discovery for an unknown user with HTTP 500 and the real text', async () => {
    const response = await fetch(`${sandbox.zoneUrl}V1.0/zoneInformation?user=nobody%40example.com`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ errors: ['Zone information could not be determined'] });
  });

  it('accepts the right credentials', async () => {
    const response = await tickets(authHeaders(sandbox));
    expect(response.status).toBe(200);
  });

  it('answers a wrong secret with 401', async () => {
    const response = await tickets(authHeaders(sandbox, { Secret: 'wrong' }));
    expect(response.status).toBe(401);
  });

  it('answers an unknown user with HTTP 500 "Zone information could not be determined"', async () => {
    const response = await tickets(authHeaders(sandbox, { UserName: 'someone@else.example' }));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ errors: ['Zone information could not be determined'] });
  });

  it('answers a bad integration code with HTTP 500 "IntegrationCode is invalid."', async () => {
    const response = await tickets(authHeaders(sandbox, { ApiIntegrationCode: 'NOPE' }));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ errors: ['IntegrationCode is invalid.'] });
  });

  it('uses the credentials given as options', async () => {
    const custom = await startSandbox({ scenario: 'empty', credentials: { username: 'me@x.example', secret: 's3', integrationCode: 'CODE' } });
    try {
      expect(custom.credentials).toEqual({ username: 'me@x.example', secret: 's3', integrationCode: 'CODE' });
      const ok = await fetch(`${custom.url}V1.0/ThresholdInformation`, { headers: authHeaders(custom) });
      expect(ok.status).toBe(200);
      const old = await fetch(`${custom.url}V1.0/ThresholdInformation`, { headers: authHeaders(sandbox) });
      expect(old.status).toBe(500);
    } finally {
      await custom.close();
    }
  });

  it('answers unknown routes IIS-style with a Message, and logs requests without credentials', async () => {
    const response = await fetch(`${sandbox.url}V1.0/Widgets/query`, { method: 'POST', headers: authHeaders(sandbox), body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toHaveProperty('Message');
    const outside = await fetch(`${sandbox.url.replace('/ATServicesRest/', '/elsewhere')}`);
    expect(outside.status).toBe(404);
    expect(JSON.stringify(sandbox.requestLog)).not.toContain(sandbox.credentials.secret);
  });
});
