import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { ALL, client } from './helpers.js';

describe('sandbox limits (docs/autotask-api.md#thread-limit, #request-threshold)', () => {
  let sandbox: SandboxHandle | undefined;
  afterEach(async () => { await sandbox?.close(); sandbox = undefined; });

  it('answers the 4th concurrent request on one endpoint with 429 and the thread-threshold text', async () => {
    sandbox = await startSandbox({ scenario: 'demo', latencyMs: 1000 });
    const api = client(sandbox);
    const replies = await Promise.all(Array.from({ length: 6 }, () => api.query('Tickets', ALL, { MaxRecords: 5 })));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    const throttled = replies.find((r) => r.status === 429)?.json as unknown as { errors: string[] };
    expect(throttled.errors[0]).toMatch(/thread threshold of 3 threads has been exceeded/i);
    const stats = sandbox.stats();
    expect(stats.endpoints.Tickets?.maxConcurrency).toBe(3);
    expect(stats.endpoints.Tickets?.threadLimited).toBe(3);
    expect(stats.endpoints.Tickets?.requests).toBe(6);
    expect(stats.status429).toBe(3);
    expect(sandbox.requestLog.filter((e) => e.status === 429)).toHaveLength(3);
  });

  it('limits per endpoint, not per tenant, and follows setLimits', async () => {
    sandbox = await startSandbox({ scenario: 'demo', latencyMs: 1000 });
    const api = client(sandbox);
    const mixed = await Promise.all([...['Tickets', 'Tickets', 'Tickets', 'Contracts', 'Contracts', 'Contracts']
      .map((entity) => api.query(entity, ALL, { MaxRecords: 1 }))]);
    expect(mixed.every((r) => r.status === 200)).toBe(true);
    sandbox.setLimits({ threadLimit: 1 });
    const two = await Promise.all([api.query('Tickets', ALL), api.query('Tickets', ALL)]);
    expect(two.map((r) => r.status).sort()).toEqual([200, 429]);
  });

  it('refuses requests past the hourly threshold and reports usage in ThresholdInformation', async () => {
    sandbox = await startSandbox({ scenario: 'empty', threshold: { limit: 10, used: 7, tierDelayScale: 0 } });
    const api = client(sandbox);
    const info = await api.get<{ externalRequestThreshold: number; requestThresholdTimeframe: number; currentTimeframeRequestCount: number }>('ThresholdInformation');
    expect(info.json).toEqual({ externalRequestThreshold: 10, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 8 });
    expect((await api.query('Tickets', ALL)).status).toBe(200);
    expect((await api.query('Tickets', ALL)).status).toBe(200);
    const over = await api.query('Tickets', ALL);
    expect(over.status).toBe(429);
    expect((over.json as unknown as { errors: string[] }).errors[0]).toMatch(/threshold/);
    const still = await api.get<{ currentTimeframeRequestCount: number }>('ThresholdInformation');
    expect(still.status).toBe(200);
    expect(still.json.currentTimeframeRequestCount).toBe(10);
    expect(sandbox.stats().endpoints.Tickets?.thresholdLimited).toBe(1);
    expect(sandbox.stats().threshold).toEqual({ limit: 10, used: 10 });
    sandbox.setLimits({ threshold: { used: 0 } });
    expect((await api.query('Tickets', ALL)).status).toBe(200);
  });

  it('counts stats per endpoint and resets them', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const api = client(sandbox);
    await api.query('Tickets', ALL, { MaxRecords: 2 });
    await api.get('Tickets/1');
    await api.post('Tickets/query/count', { filter: ALL });
    const stats = sandbox.stats();
    expect(stats.endpoints.Tickets?.requests).toBe(3);
    expect(stats.endpoints.Tickets?.statuses).toEqual({ 200: 3 });
    expect(stats.totalRequests).toBe(3);
    const entry = sandbox.requestLog.at(-1);
    expect(entry).toMatchObject({ method: 'POST', entity: 'Tickets', status: 200, outcome: 'answered', body: { filter: ALL } });
    expect(entry?.responseBytes).toBeGreaterThan(0);
    sandbox.resetStats();
    expect(sandbox.stats().totalRequests).toBe(0);
    expect(sandbox.requestLog).toHaveLength(0);
  });
});
