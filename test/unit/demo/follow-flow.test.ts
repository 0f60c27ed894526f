/**
 * The demo's progress lines (src/demo/follow-flow.ts): every job of the flow gets its line, the root's included, even
 * when the root finishes between two reads of the queue. A scripted queue stands for BullMQ here: what is tested is
 * the order of the two reads, which a real queue shows only by chance (once in six runs beside a CPU hog).
 */
import { describe, expect, it } from 'vitest';
import { followFlow, type FinishedJob, type FlowReader } from '../../../src/demo/follow-flow.js';

/** A flow of two children; the root finishes right after the first listing of finished jobs. */
function rootFinishingAfterFirstListing(): FlowReader {
  let listings = 0;
  const child = (id: string, at: number): FinishedJob => ({ id, name: id, processedOn: at - 100, finishedOn: at, returnvalue: { summary: `${id} done` } });
  const root: FinishedJob = { id: 'root', name: 'sync-all', processedOn: 0, finishedOn: 1_000, returnvalue: { summary: 'all done' } };
  return {
    root: async () => ({ state: listings >= 1 ? 'completed' : 'waiting-children' }),
    finished: async () => {
      const jobs = [child('sync-tickets', 200), child('build-invoices', 400), ...(listings >= 1 ? [root] : [])];
      listings += 1;
      return jobs;
    },
  };
}

describe('followFlow', () => {
  it('prints the root\'s line when the root finishes between two reads of the queue', async () => {
    const lines: string[] = [];
    await followFlow(rootFinishingAfterFirstListing(), (line) => lines.push(line), 0);
    expect(lines.map((line) => line.trim().split(/\s+/)[1])).toEqual(['sync-tickets', 'build-invoices', 'sync-all']);
    expect(lines[2]).toContain('all done');
  });

  it('fails with the root\'s reason when the flow failed', async () => {
    const reader: FlowReader = { root: async () => ({ state: 'failed', failedReason: 'budget spent' }), finished: async () => [] };
    await expect(followFlow(reader, () => undefined, 0)).rejects.toThrow('sync-all failed: budget spent');
  });
});
