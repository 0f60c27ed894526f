/**
 * A read is answered from the data as it was when the request arrived, worked out while its latency runs (as a real
 * server's latency includes its own work). Computed after the wait instead, a query over 100,000 records took the
 * latency plus the sandbox's own scanning, and the pull benchmark "at 100 ms per request" ran slower requests than
 * it said (README, Performance). A write that lands during a read's latency is therefore not in that read.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { client } from './helpers.js';

type Row = { id: number } & Record<string, unknown>;

describe('sandbox reads and latency', () => {
  let sandbox: SandboxHandle;
  let api: ReturnType<typeof client>;
  beforeAll(async () => { sandbox = await startSandbox({ scenario: 'demo' }); api = client(sandbox); });
  afterAll(async () => { await sandbox.close(); });

  it('answers a query with the records that existed when it arrived, not those added during its latency', async () => {
    const filter = [{ op: 'gt', field: 'id', value: 0 }];
    const before = (await api.query<Row>('Companies', filter, { MaxRecords: 500 })).json.items.length;
    // Long enough that the insert below lands while the query is held, on any machine: the test waits for the
    // query to be in flight (the sandbox's own count), not for a time.
    sandbox.setFaults({ latencyMs: 1_500 });
    try {
      const pending = api.query<Row>('Companies', filter, { MaxRecords: 500 });
      await vi.waitFor(() => { expect(sandbox.stats().endpoints.Companies?.inFlight ?? 0).toBe(1); }, { timeout: 10_000, interval: 5 });
      const added = sandbox.data.insert('Companies', { companyName: 'Arrived during the latency', companyType: 1, isActive: true });
      const reply = await pending;
      expect(reply.status).toBe(200);
      expect(reply.json.items.map((r) => r.id)).not.toContain(added.id);
      expect(reply.json.items.length).toBe(before);
    } finally {
      sandbox.setFaults({ latencyMs: 0 });
    }
    // The next read sees it.
    expect((await api.query<Row>('Companies', filter, { MaxRecords: 500 })).json.items.length).toBe(before + 1);
  });
});
