/**
 * Detection quality on real ticket logs, scored over the WHOLE population (issue 15): every data set under
 * ../shared/data/<name>/ that has tickets.jsonl and gold.jsonl (the UCI incident log, and any other log put
 * there). A ticket nobody linked to a problem is, in the truth, a group of its own (src/rules/
 * detection-scoring.ts). Per data set it prints the default rule sets run through `autotask-sync detect` (the same command
 * function, output parsed back from its JSON lines, no rules file) next to the best fixed rule of a small sweep
 * (src/rules/detection-sweep.ts) — the baseline to beat — and the stories with the defaults.
 *
 *   npx tsx test/bench/detection-uci.ts [--rules <file>]   (--rules: also score that rules file)
 *
 * UCI data: UCI Machine Learning Repository, "Incident management process enriched event log" (data set 498).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { detectCommand, readTicketsFile } from '../../src/cli/detect.js';
import { detectProblems } from '../../src/rules/problem-detection.js';
import { defaultRuleSets, latest } from '../unit/rules/detection/fixtures.js';
import { scoreGrouping, type Scores } from '../../src/rules/detection-scoring.js';
import { allStories } from '../unit/rules/detection/stories.js';
import { describeRule, sweepFixedRules, type FixedRule } from '../../src/rules/detection-sweep.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// ../shared next to the checkout, or next to the folder of worktrees; DETECTION_DATA overrides both.
const dataRoot = process.env.DETECTION_DATA ?? [`${root}../shared/data/`, `${root}../../shared/data/`].find((d) => existsSync(d)) ?? `${root}../shared/data/`;
const { values } = parseArgs({ options: { rules: { type: 'string' } } });

interface DetectRun { groups: { problemTicketId: number | null; ticketIds: number[]; reason: string }[]; summary: string; ms: number }

async function runDetect(args: string[]): Promise<DetectRun> {
  let out = '';
  let err = '';
  const started = performance.now();
  const code = await detectCommand(args, { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`detect exited ${code}: ${err}`);
  const groups = out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as DetectRun['groups'][number]);
  return { groups, summary: err.trim(), ms };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number): string => x.toFixed(3);

function row(name: string, s: Scores): string {
  return `${name.padEnd(30)} grouped ${pct(s.groupedShare).padStart(6)} (true ${pct(s.trueShare)})  P ${f3(s.precision)}  R ${f3(s.recall)}  `
    + `F1 ${f3(s.f1)}  B³ F1 ${f3(s.bcubedF1)}  link P ${f3(s.linkPrecision)}  (${s.correctPairs}/${s.predictedPairs} pairs)`;
}

function readGold(path: string): Map<number, string> {
  const gold = new Map<number, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { id, group } = JSON.parse(line) as { id: number; group: string };
    gold.set(id, group);
  }
  return gold;
}

async function scoreDataSet(name: string, dir: string): Promise<void> {
  const ticketsPath = `${dir}tickets.jsonl`;
  const gold = readGold(`${dir}gold.jsonl`);
  const { tickets } = await readTicketsFile(ticketsPath);
  const defaults = await runDetect(['--input', ticketsPath]);
  const defaultScores = scoreGrouping(defaults.groups.map((g) => g.ticketIds), gold, tickets.length);

  let best: { rule: FixedRule; label: string; scores: Scores } | null = null;
  let rules = 0;
  const sweepStarted = performance.now();
  for (const { rule, groups } of sweepFixedRules(tickets)) {
    rules += 1;
    const scores = scoreGrouping(groups, gold, tickets.length);
    if (best === null || scores.f1 > best.scores.f1) best = { rule, label: describeRule(rule), scores };
  }
  const sweepMs = performance.now() - sweepStarted;

  console.log(`data set ${name}: ${tickets.length} tickets, ${gold.size} labelled, ${defaultScores.goldPairs} gold pairs, `
    + `${defaultScores.trulyGrouped} tickets truly share a problem (${pct(defaultScores.trueShare)})`);
  console.log(row(`${name} defaults (detect)`, defaultScores) + `  ${Math.round(defaults.ms)} ms`);
  if (best) {
    console.log(row(`${name} best fixed rule`, best.scores) + `  — ${best.label}; best pairwise F1 of ${rules} rules (${Math.round(sweepMs)} ms)`);
    // The same rule through detection with the default confidence gate (src/rules/group-evidence.ts): what the
    // base-rate evidence keeps of a rule that chains on keys alone.
    const minConfidence = defaultRuleSets()[0]!.minConfidence;
    const gated = detectProblems({ tickets, ruleSets: [{ name: 'sweep-best', ...best.rule, titleSimilarity: 0, minConfidence }],
      options: { linkCompleted: true, now: latest(tickets) } });
    console.log(row(`${name} best rule, gated ${minConfidence}`, scoreGrouping(gated.groups.map((g) => g.ticketIds), gold, tickets.length)));
  }
  if (values.rules) {
    const custom = await runDetect(['--input', ticketsPath, '--rules', values.rules]);
    console.log(row(`${name} --rules`, scoreGrouping(custom.groups.map((g) => g.ticketIds), gold, tickets.length)));
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  const sets = existsSync(dataRoot) ? readdirSync(dataRoot).filter((d) => existsSync(`${dataRoot}${d}/tickets.jsonl`) && existsSync(`${dataRoot}${d}/gold.jsonl`)) : [];
  if (sets.length === 0) console.log(`detection-uci: skipped — no <name>/tickets.jsonl with gold.jsonl under ${dataRoot} (see issue 7 for the data set).`);
  for (const name of sets.sort()) await scoreDataSet(name, `${dataRoot}${name}/`);

  const stories = allStories();
  const storyTickets = stories.flatMap((s) => s.tickets);
  const storyGold = new Map<number, string>();
  stories.forEach((s, i) => s.groups.forEach((g, j) => g.forEach((id) => storyGold.set(id, `${i}-${j}`))));
  const storyGroups = detectProblems({ tickets: storyTickets, ruleSets: defaultRuleSets(),
    options: { linkCompleted: true, now: latest(storyTickets) } }).groups;
  console.log(row('stories, default rule sets', scoreGrouping(storyGroups.map((g) => g.ticketIds), storyGold, storyTickets.length)));
}

await main();
