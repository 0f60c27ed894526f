/**
 * Problem detection at scale (issue 7: 1,000,000 tickets in ≤ 5 s on this machine, memory bounded).
 * Generates a deterministic synthetic tenant — 2,000 companies, monitoring alerts that recur on some
 * configuration items (with and without a CI), everyday tickets drawn from a vocabulary, open problems with
 * hand-linked incidents, completed history — each ticket round-tripped through JSON as if read from an export or
 * the store — then runs detectProblems with the default rule sets and prints wall and CPU time (the machine is
 * shared; CPU time is what an idle machine's wall time would be) and memory.
 *
 *   npx tsx --expose-gc test/bench/detection-1m.ts [--count 1000000] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { detectionSection } from '../../config/sections/detection.js';
import { detectProblems, type DetectionTicket } from '../../src/rules/problem-detection.js';
import { seeded } from '../unit/rules/detection/fixtures.js';

const { values } = parseArgs({ options: { count: { type: 'string' }, runs: { type: 'string' } } });
const COUNT = Number(values.count ?? 1_000_000);
const RUNS = Number(values.runs ?? 3);
const COMPANIES = 2_000;
const CIS_PER_COMPANY = 20;
const DAYS = 180;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

const ALERTS = [
  (h: string) => `Server ${h} is offline`, (h: string) => `${h} offline - ping failed at 14:05`,
  (h: string) => `Low disk space on ${h}: C: 7% free`, (h: string) => `Backup job Nightly failed on ${h}`,
  (h: string) => `CPU above 95% on ${h} for 10 minutes`, (h: string) => `Service Spooler stopped on ${h}`,
];
const WORDS = ['outlook', 'crashes', 'printer', 'jam', 'password', 'reset', 'vpn', 'slow', 'laptop', 'screen',
  'flickers', 'teams', 'audio', 'missing', 'share', 'access', 'denied', 'excel', 'macro', 'error', 'new', 'starter',
  'setup', 'license', 'expired', 'wifi', 'drops', 'phone', 'sync', 'calendar', 'invite', 'scanner', 'email'];

function generate(count: number): DetectionTicket[] {
  const rnd = seeded(20260301);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const tickets: DetectionTicket[] = [];
  const openProblems: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = 1_000_000 + i;
    const companyID = 1 + Math.floor(rnd() * COMPANIES);
    const ci = Math.floor(rnd() * CIS_PER_COMPANY);
    const time = T0 + (i / count) * DAYS * 86_400_000 + Math.floor(rnd() * 3_600_000);
    const roll = rnd();
    const base: DetectionTicket = { id, ticketNumber: `T${id}`, companyID, companyLocationID: null, contactID: null,
      createDate: new Date(time).toISOString(), issueType: null, subIssueType: null, queueID: 8, priority: 2,
      status: rnd() < 0.6 ? 5 : 1, ticketType: 2, problemTicketId: null, configurationItemID: null, source: 2, title: '' };
    if (roll < 0.35) {
      // Monitoring alerts concentrate on a few CIs per company, which is what makes them recur.
      const host = `SRV-${companyID}-${ci % 4}`;
      tickets.push({ ...base, source: 8, ticketType: 5, title: pick(ALERTS)(host),
        configurationItemID: rnd() < 0.7 ? companyID * 100 + (ci % 4) : null });
    } else if (roll < 0.3505) {
      tickets.push({ ...base, ticketType: 3, status: 1, configurationItemID: companyID * 100 + (ci % 4),
        title: `Problem: ${pick(ALERTS)(`SRV-${companyID}-${ci % 4}`)}` });
      openProblems.push(id);
    } else {
      const linked = openProblems.length > 0 && rnd() < 0.01 ? pick(openProblems) : null;
      tickets.push({ ...base, problemTicketId: linked, configurationItemID: rnd() < 0.5 ? companyID * 100 + ci : null,
        title: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}` });
    }
  }
  // As read from a JSON export or the store: flat strings, not the rope strings a template literal builds.
  return tickets.map((t) => JSON.parse(JSON.stringify(t)) as DetectionTicket);
}

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;

const genStart = performance.now();
const tickets = generate(COUNT);
const genMs = performance.now() - genStart;
const before = process.memoryUsage();
console.log(`generated ${tickets.length.toLocaleString('en')} tickets in ${(genMs / 1000).toFixed(2)} s; `
  + `heap ${mb(before.heapUsed)}, rss ${mb(before.rss)}`);

const ruleSets = detectionSection.parse({}).ruleSets;
const now = T0 + DAYS * 86_400_000;
const gc = (globalThis as { gc?: () => void }).gc;
for (let run = 1; run <= RUNS; run += 1) {
  // Collect the generator's (and the previous run's) garbage first, so the run pays only for its own.
  gc?.();
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = detectProblems({ tickets, ruleSets, options: { linkCompleted: false, now } });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const after = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS * 1024;
  const grouped = result.groups.reduce((n, g) => n + g.ticketIds.length, 0);
  const onProblems = result.groups.filter((g) => g.problemTicketId !== null).length;
  console.log(`run ${run}: ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s cpu; ${result.groups.length.toLocaleString('en')} groups `
    + `(${onProblems} on existing problems), ${grouped.toLocaleString('en')} tickets grouped, `
    + `${result.stats.newLinks.toLocaleString('en')} to link; heap after ${mb(after.heapUsed)}, `
    + `peak rss ${mb(peak)} (was ${mb(rssBefore)} before the run)`);
}
