/**
 * A read stopped after it was sent (a sibling chain failed, a stop request, the consumer left) still holds a
 * thread on Autotask's side until Autotask answers it (docs/autotask-api.md#thread-headroom). Its slot must stay
 * held until then: given back at the abort (with only the cooling), a fourth request reached a server still
 * working on three — `faults/two-workers` met that 429 about once in ten loaded runs. The sandbox, like Autotask,
 * keeps a request's thread until its latency is over even when the client has gone.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => { await h?.close(); });

describe('a read aborted after it was sent', () => {
  it('keeps its slot until the server has answered it, so the next caller meets no thread limit', async () => {
    // The answers take long enough (far longer than a loaded machine needs between two steps) that the abort and
    // the next request both happen while the server works.
    h = await startHarness({ sandbox: { scenario: 'demo', latencyMs: 3_000 },
      file: { autotask: { retryMinMs: 5, retryMaxMs: 50, requestTimeoutMs: 20_000 } } });
    const statuses: number[] = [];
    const stop = h.sandbox.onRequest((entry) => { if (entry.entity === 'Tickets' && entry.status !== null) statuses.push(entry.status); });
    const client = h.newClient();
    const inFlight = () => h.sandbox.stats().endpoints.Tickets?.inFlight ?? 0;
    const controllers = [0, 1, 2].map(() => new AbortController());
    const reads = controllers.map((c, i) => client.count('Tickets', [{ op: 'gt', field: 'id', value: i }], c.signal));
    reads.forEach((read) => read.catch(() => undefined));
    await vi.waitFor(() => expect(inFlight()).toBe(3), { timeout: 20_000, interval: 5 });

    controllers[0]!.abort(new Error('job cancelled'));
    // The caller stops waiting at once; the server goes on with the request.
    await expect(reads[0]).rejects.toThrow('job cancelled');
    expect(inFlight()).toBe(3);
    const fourth = client.count('Tickets', [{ op: 'gt', field: 'id', value: 3 }]);
    expect(await fourth).toBeGreaterThan(0);
    await Promise.all(reads.slice(1));
    stop();

    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(h.sandbox.stats().endpoints.Tickets?.maxConcurrency).toBe(3);
    expect(statuses).toHaveLength(4);
  });
});
