/**
 * `npm run bench`: every benchmark under test/bench/, one after the other (they share two CPUs; running them
 * together would measure contention), each as its own process (`npx tsx <file>`), then ONE table:
 * figure | measured | target | met?. Our benches print `BENCH {json}` lines (support/report.ts); the figures of
 * the others are read from their own wording (parsers below) or, failing that, their last line is shown.
 * Nothing here fails the run: a bench that crashes or times out is a row saying so.
 * Run: npm run bench   (or npx tsx test/bench/run-all.ts [name-filter])
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Figure, FIGURE_MARK, machine, parseFigures } from './support/report.js';
import { parseDetection1m, parseDetectionUci, parseGovernor, parseInvoiceGrouping } from './support/parse-output.js';

interface Bench {
  file: string;
  title: string;
  /** Figures read from a bench that does not print BENCH lines. */
  parse?: (stdout: string) => Figure[];
  timeoutMs: number;
}

const BENCHES: Bench[] = [
  { file: 'pull.ts', title: 'pull: 100k tickets at 100 ms latency, vs the peer client, incremental', timeoutMs: 180_000 },
  { file: 'queue-throughput.ts', title: 'queue throughput (BullMQ worker on this Redis)', timeoutMs: 120_000 },
  { file: 'webhook-latency.ts', title: 'webhook-to-link latency', timeoutMs: 120_000 },
  { file: 'governor.ts', title: 'governor round trips (Redis)', parse: parseGovernor, timeoutMs: 60_000 },
  { file: 'invoice-grouping.ts', title: 'invoice grouping, 1M billing items', parse: parseInvoiceGrouping, timeoutMs: 180_000 },
  { file: 'detection-uci.ts', title: 'problem detection on the UCI incident log', parse: parseDetectionUci, timeoutMs: 120_000 },
  { file: 'redis-memory.ts', title: 'Redis memory of the store: 100k tickets, 10k invoices', timeoutMs: 180_000 },
  { file: 'many-tenants.ts', title: 'many tenants: 50 small beside one 20k-item backlog, 1 and 3 worker processes', timeoutMs: 600_000 },
  { file: 'redis-topologies.ts', title: 'sync-all on one node, a 3-master Cluster and Sentinel; Sentinel failover', timeoutMs: 900_000 },
  { file: 'fast-stop.ts', title: 'SIGTERM mid-invoicing: 20k billing items, real worker process, then completed by a second', timeoutMs: 1_200_000 },
  { file: 'detection-1m.ts', title: 'problem detection, 1M tickets', parse: parseDetection1m, timeoutMs: 180_000 },
];

interface Outcome { stdout: string; stderr: string; code: number | null; timedOut: boolean; ms: number }

function run(bench: Bench): Promise<Outcome> {
  const file = fileURLToPath(new URL(`./${bench.file}`, import.meta.url));
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (!line.startsWith(FIGURE_MARK)) console.log(`  │ ${line}`);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGTERM'); }, bench.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (partial && !partial.startsWith(FIGURE_MARK)) console.log(`  │ ${partial}`);
      resolve({ stdout, stderr, code, timedOut, ms: performance.now() - started });
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith(FIGURE_MARK)).slice(-count).join(' / ');
}

function figuresOf(bench: Bench, outcome: Outcome): Figure[] {
  if (outcome.timedOut) return [{ figure: bench.title, measured: `timed out after ${bench.timeoutMs / 1000} s`, target: '—', met: false }];
  if (outcome.code !== 0) {
    return [{ figure: bench.title, measured: `failed (exit ${outcome.code}): ${lastLines(outcome.stderr || outcome.stdout, 2).slice(0, 160)}`, target: '—', met: false }];
  }
  const figures = [...parseFigures(outcome.stdout), ...(bench.parse?.(outcome.stdout) ?? [])];
  return figures.length > 0 ? figures : [{ figure: bench.title, measured: lastLines(outcome.stdout, 1).slice(0, 160), target: '—', met: null }];
}

function table(rows: Figure[]): string {
  const cells = rows.map((r) => [r.figure, r.measured, r.target, r.met === null ? '—' : r.met ? 'yes' : 'NO']);
  const header = ['figure', 'measured', 'target', 'met?'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

const filter = process.argv[2];
const selected = BENCHES.filter((b) => !filter || b.file.includes(filter));
const header = `Machine: ${machine()}; Redis ${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'}; ${new Date().toISOString().slice(0, 10)}`;
console.log(header);
const loadAtStart = loadavg()[0]!.toFixed(2);
const rows: Figure[] = [];
const allStarted = performance.now();
for (const bench of selected) {
  console.log(`\n▶ ${bench.file} — ${bench.title}`);
  const outcome = await run(bench);
  console.log(`  (${(outcome.ms / 1000).toFixed(1)} s)`);
  rows.push(...figuresOf(bench, outcome));
}
// Wall times mean little on a busy machine: say how busy it was (1-minute load average, before and after).
const load = () => loadavg()[0]!.toFixed(2);
console.log(`\n${header}; all benches ${((performance.now() - allStarted) / 1000).toFixed(0)} s; load average ${loadAtStart} at the start, ${load()} at the end\n`);
console.log(table(rows));
