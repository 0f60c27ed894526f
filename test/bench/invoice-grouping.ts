/**
 * Benchmark: group 1,000,000 billing items (issue 6: ≤ 1.5 s on the 2-core CI machine).
 * Run: `npx tsx test/bench/invoice-grouping.ts [items] [runs] [batches|random]`. Prints the median wall time of the grouping and
 * the peak resident memory. Items are generated deterministically (same seed, same data) and shaped like the
 * zod output of src/autotask/schemas/billing-items.ts, in ascending id order as Autotask returns them, and passed
 * through JSON like the store's records.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { groupInvoices } from '../../src/rules/invoice-grouping.js';
import type { BillingItemLike, ContractLike } from '../../src/rules/invoice-types.js';
import { seededRandom as prng } from '../helpers/seeded-random.js';

const ITEMS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 5);
/**
 * `batches` (default): items come in posting runs of 1–40 items of one contract, as "Approve and Post" creates them
 * and Autotask returns them (ascending id = posting order). `random`: every item picks a random contract — the
 * worst case for memory locality, reported for comparison.
 */
const ORDER = process.argv[4] === 'random' ? 'random' : 'batches';
const COMPANIES = 20_000;


function generate(): { items: BillingItemLike[]; contracts: ContractLike[] } {
  const random = prng(20_260_315);
  const contracts: ContractLike[] = [];
  for (let company = 1; company <= COMPANIES; company += 1) {
    const count = 1 + Math.floor(random() * 3);
    for (let k = 0; k < count; k += 1) {
      const id = contracts.length + 1;
      contracts.push({ id, companyID: company, contractName: `Contract ${id}`, contractNumber: `C${company}-${k}`,
        contractType: 7, contractCategory: 1, status: 1, startDate: '2026-01-01T00:00:00.000Z', endDate: null,
        purchaseOrderNumber: random() < 0.6 ? `PO-${company}-${k % 2}` : null });
    }
  }
  const items: BillingItemLike[] = new Array<BillingItemLike>(ITEMS);
  let contract = contracts[0] as ContractLike;
  let batchLeft = 0;
  for (let i = 0; i < ITEMS; i += 1) {
    if (ORDER === 'random' || batchLeft === 0) {
      contract = contracts[Math.floor(random() * contracts.length)] as ContractLike;
      batchLeft = 1 + Math.floor(random() * 40);
    }
    batchLeft -= 1;
    const quantity = 1 + Math.floor(random() * 8) / 4;
    const rate = Math.floor(random() * 20_000) / 100;
    const extendedPrice = Math.round(quantity * rate * 100) / 100;
    const taxDollars = Math.round(extendedPrice * 19) / 100;
    const day = 1 + Math.floor(random() * 28);
    const roll = random();
    items[i] = {
      id: 1_000_000 + i, companyID: contract.companyID, contractID: contract.id,
      invoiceID: roll < 0.02 ? 5000 + i : null, webServiceDate: roll > 0.99 ? '2026-03-01T00:00:00.000Z' : null,
      itemDate: `2026-02-${String(day).padStart(2, '0')}T00:00:00.000Z`, postedDate: '2026-03-01T08:00:00.000Z',
      purchaseOrderNumber: roll < 0.05 ? ` ${contract.purchaseOrderNumber ?? ''} ` : (contract.purchaseOrderNumber ?? null),
      itemName: 'Remote support', description: `Ticket T2026${i}`, quantity, rate, extendedPrice, taxDollars,
      totalAmount: Math.round((extendedPrice + taxDollars) * 100) / 100,
      ticketID: 70_000 + (i % 50_000), timeEntryID: 90_000_000 + i,
      ...{ billingItemType: 1, subType: 1, projectID: null },
    } as BillingItemLike;
  }
  // Through JSON, as the store hands records over: flat strings, one instance per record (as in production).
  return JSON.parse(JSON.stringify({ items, contracts })) as { items: BillingItemLike[]; contracts: ContractLike[] };
}

// A full collection before each run, so one run's garbage is not billed to the next (the standard bench practice).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let peakRss = 0;
let peakHeap = 0;
const sample = (): void => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed + usage.arrayBuffers);
};
const sampler = setInterval(sample, 20);

const { items, contracts } = generate();
collectGarbage();
const heapBefore = process.memoryUsage().heapUsed;
peakHeap = 0; // the peak of the grouping runs, not of the generator's JSON round trip
const times: number[] = [];
const cpuTimes: number[] = [];
let summary = '';
for (let run = 0; run < RUNS; run += 1) {
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = groupInvoices({ items, contracts, policy: { rules: [{ name: 'all', match: {}, template: 'PO-{contractID}' }] },
    now: new Date('2026-03-15T00:00:00.000Z') });
  times.push(performance.now() - start);
  const cpu = process.cpuUsage(cpuStart);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  sample();
  summary = `${result.counts.eligible} eligible items → ${result.counts.invoices} invoices, `
    + `${result.counts.skipped} skipped, ${result.warnings.length} warnings`;
}
clearInterval(sampler);
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
const cpuMedian = cpuTimes[Math.floor(cpuTimes.length / 2)] ?? Number.NaN;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(`invoice grouping: ${ITEMS.toLocaleString('en')} items (${ORDER} order), ${RUNS} runs`);
console.log(`  ${summary}`);
console.log(`  median ${median.toFixed(0)} ms (min ${times[0]?.toFixed(0)} ms, max ${times.at(-1)?.toFixed(0)} ms); budget 1500 ms`);
console.log(`  median CPU time ${cpuMedian.toFixed(0)} ms (all threads, incl. parallel GC); load average ${loadavg()[0]?.toFixed(2)} on `
  + `${availableParallelism()} cores — wall time is only meaningful on an otherwise idle machine`);
console.log(`  peak heap ${mb(peakHeap)} while grouping, of which the input items and contracts are ${mb(heapBefore)} `
  + `(so ≈ ${mb(peakHeap - heapBefore)} for the grouping and its result); peak RSS of the process ${mb(peakRss)}`);
