/**
 * Thread headroom (issue 16 item 9): Autotask frees a request's thread slightly after its answer arrives, so a
 * client that gives its slot back at once can send a 4th request into a thread still counted and get 429
 * "thread threshold". Against the sandbox with a server-side release lag, a full sync-tickets runs once per
 * candidate setting with three more callers on the same endpoint; the table shows 429s, requests and wall time, to choose the default at the least cost.
 * The cooling (autotask.slotReleaseDelayMs) keeps a slot counted that long after its answer, in Redis; it delays only a
 * caller that finds every slot of the endpoint taken (docs/autotask-api.md#thread-headroom). In every row a thread-limit
 * 429 makes the tenant's slots cool longer (learnt, doubling from at least 10 ms), so later requests meet fewer.
 * Run: npx tsx test/bench/thread-headroom.ts [tickets=20000] [latencyMs=100] [lagMs=20] [coolings=0,15,20,25]
 */
import { syncTicketsJob } from '../../jobs/sync-tickets.js';
import { generateTenant } from '../../src/sandbox/index.js';
import { startHarness } from '../helpers/harness.js';

const TICKETS = Number(process.argv[2] ?? 20_000);
const LATENCY_MS = Number(process.argv[3] ?? 100);
const LAG_MS = Number(process.argv[4] ?? 20);
const COOLINGS = (process.argv[5] ?? '0,15,20,25').split(',').map(Number);
const candidates = [
  ...COOLINGS.map((ms) => ({ name: ms === 0 ? '3 slots, no cooling' : `3 slots, ${ms} ms cooling`, threadsPerEndpoint: 3, slotReleaseDelayMs: ms })),
  { name: '2 slots, no cooling', threadsPerEndpoint: 2, slotReleaseDelayMs: 0 },
];
const now = new Date();
const scenario = generateTenant({ seed: 11, now, companies: 50, contracts: 50, tickets: TICKETS, billingItems: 10 });

console.log(`thread headroom: ${TICKETS} tickets, ${LATENCY_MS} ms latency, server releases threads ${LAG_MS} ms after answering`);
console.log('| setting | 429 answers | requests | wall s |');
console.log('|---|---|---|---|');
for (const c of candidates) {
  const h = await startHarness({
    sandbox: { scenario, latencyMs: LATENCY_MS, threadReleaseLagMs: LAG_MS },
    file: { autotask: { retryMinMs: 50, retryMaxMs: 500, requestTimeoutMs: 30_000, threadsPerEndpoint: c.threadsPerEndpoint, slotReleaseDelayMs: c.slotReleaseDelayMs },
      pull: { ticketsLookbackDays: 400 } },
  });
  h.sandbox.resetStats();
  const started = performance.now();
  // Demand above the slots: the pull's partitions plus three more callers (another job, a webhook's read) on the
  // same endpoint, so a freed slot is taken at once — the moment the server may not have freed its thread yet.
  const other = h.newClient();
  const caller = async (): Promise<void> => {
    for (let i = 0; i < 15; i += 1) await other.count('Tickets', [{ op: 'gt', field: 'id', value: i }]);
  };
  // A caller whose retries run out on 429s fails; that is a result of the setting, not of the bench.
  const outcomes = await Promise.allSettled([h.run(syncTicketsJob, { full: true }), caller(), caller(), caller()]);
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  const wall = (performance.now() - started) / 1000;
  const stats = h.sandbox.stats();
  console.log(`| ${c.name} | ${stats.status429}${failed ? ` (${failed} of 4 callers gave up)` : ''} | ${stats.totalRequests} | ${wall.toFixed(1)} |`);
  await h.close();
}
process.exit(0);
