import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { ALL, authHeaders, client } from './helpers.js';

describe('sandbox fault injection', () => {
  let sandbox: SandboxHandle | undefined;
  afterEach(async () => { await sandbox?.close(); sandbox = undefined; });

  const ticket = { companyID: DEMO_FACTS.companies.fabrikam, title: 'Lost answer test', status: 1, priority: 2 };

  it('applies a create whose answer is lost: the client sees a socket error, the record exists', async () => {
    sandbox = await startSandbox({ scenario: 'demo', lostResponseRate: 1 });
    const before = sandbox.data.count('Tickets');
    await expect(fetch(`${sandbox.url}V1.0/Tickets`, { method: 'POST', headers: authHeaders(sandbox), body: JSON.stringify(ticket) }))
      .rejects.toThrow();
    expect(sandbox.data.count('Tickets')).toBe(before + 1);
    const made = sandbox.data.all('Tickets').at(-1);
    expect(made?.title).toBe('Lost answer test');
    expect(sandbox.stats().faults.lostResponse).toBe(1);
    expect(sandbox.requestLog.at(-1)).toMatchObject({ outcome: 'lost', status: 200, method: 'POST' });
    // Reads are never "lost": the client can look for the record it may have made (docs/autotask-api.md#writing).
    const look = await client(sandbox).query<{ id: number }>('Tickets', [{ op: 'eq', field: 'title', value: 'Lost answer test' }]);
    expect(look.json.items.map((t) => t.id)).toEqual([made?.id]);
  });

  it('fails with a bare 500 "Internal server error" at the fault rate, and changes at run time', async () => {
    sandbox = await startSandbox({ scenario: 'empty', faultRate: 1, faultKinds: ['error500'] });
    const api = client(sandbox);
    const failed = await api.query('Tickets', ALL);
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ errors: ['Internal server error'] });
    sandbox.setFaults({ faultRate: 0 });
    expect((await api.query('Tickets', ALL)).status).toBe(200);
    expect(sandbox.stats().faults.error500).toBe(1);
  });

  it('resets connections', async () => {
    sandbox = await startSandbox({ scenario: 'empty', faultRate: 1, faultKinds: ['reset'] });
    await expect(client(sandbox).query('Tickets', ALL)).rejects.toThrow();
    expect(sandbox.stats().faults.reset).toBe(1);
    expect(sandbox.requestLog.at(-1)?.outcome).toBe('reset');
  });

  it('holds a request without answering, then drops it ("timeout")', async () => {
    sandbox = await startSandbox({ scenario: 'empty', faultRate: 1, faultKinds: ['timeout'], timeoutMs: 100 });
    await expect(client(sandbox).query('Tickets', ALL)).rejects.toThrow();
    expect(sandbox.stats().faults.timeout).toBe(1);
    expect(sandbox.requestLog.at(-1)?.outcome).toBe('timeout');
  });

  it('draws a fraction of failures close to the rate, reproducibly for a seed', async () => {
    const run = async (): Promise<number[]> => {
      const sb = await startSandbox({ scenario: 'empty', seed: 7, faultRate: 0.3, faultKinds: ['error500'] });
      try {
        const api = client(sb);
        const statuses: number[] = [];
        for (let i = 0; i < 60; i += 1) statuses.push((await api.query('Tickets', ALL)).status);
        return statuses;
      } finally {
        await sb.close();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });
});
