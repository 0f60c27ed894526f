/**
 * Issue 14 item 10, end to end (real worker, real Redis, sandbox): 500 refused stopwatches never starve the
 * safety sweep; a stopped stopwatch whose enqueue was lost is still pushed by the next sweep.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

const assigned = DEMO_FACTS.assignedOpenTickets[0]!;

describe('the pending sweep (issue 14 item 10)', { timeout: 240_000 }, () => {
  it('reaches a stopped stopwatch behind 500 refused ones', async () => {
    p = await startProduct();
    const product = p;
    const stopwatches = product.runtime.services.tenants.get('default').stopwatches;
    const base = Date.parse('2026-11-22T08:00:00.000Z');
    for (let i = 0; i < 500; i += 1) {
      const started = await stopwatches.start({ ticketId: assigned.ticketId, resourceId: assigned.resourceId }, new Date(base + i * 1000));
      if (!started.ok) throw new Error(started.reason);
      await stopwatches.stop(started.stopwatch.id, {}, new Date(base + i * 1000 + 600_000));
      await stopwatches.markPushError(started.stopwatch.id, 'refused by the tenant');
    }
    // Stopped last (so it sorts after all 500), and its push-time-entries enqueue was lost.
    const lost = await stopwatches.start({ ticketId: assigned.ticketId, resourceId: assigned.resourceId, summaryNotes: 'lost enqueue' },
      new Date(base + 3_600_000));
    if (!lost.ok) throw new Error(lost.reason);
    await stopwatches.stop(lost.stopwatch.id, {}, new Date(base + 7_200_000));

    const { body } = await product.api('POST', '/api/jobs/push-time-entries', { data: {} });
    const job = await eventually(async () => {
      const j = (await product.api('GET', `/api/jobs/${body.jobId}`)).body;
      return ['completed', 'failed'].includes(j.state) ? j : undefined;
    }, 90_000, 'the sweep to finish');
    expect(job.failedReason).toBeUndefined();
    const after = await stopwatches.get(lost.stopwatch.id);
    expect(after?.timeEntryId).toEqual(expect.any(Number));
    expect(product.sandbox.data.all('TimeEntries').filter((t) => t.summaryNotes === 'lost enqueue')).toHaveLength(1);
  });
});
