/**
 * Detection quality on real tickets: runs `autotask-sync detect` (the same command function, output parsed back
 * from its JSON lines) over the UCI incident log in ../shared/data/uci-incidents with config/detection-uci.json,
 * scores it against gold.jsonl as that folder's README defines (only labelled tickets count), and prints the
 * figures next to the naive baseline. Also prints the story scores of the default rule sets, which tuning for
 * this data set must not hurt.
 *
 *   npx tsx test/bench/detection-uci.ts [--rules <file>]
 *
 * Data: UCI Machine Learning Repository, "Incident management process enriched event log" (data set 498).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { detectCommand, readTicketsFile } from '../../src/cli/detect.js';
import { detectProblems, type DetectionRuleSet } from '../../src/rules/problem-detection.js';
import { defaultRuleSets, latest } from '../unit/rules/detection/fixtures.js';
import { scoreGrouping, type Scores } from '../unit/rules/detection/scoring.js';
import { allStories } from '../unit/rules/detection/stories.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = `${root}../shared/data/uci-incidents/`;
const { values } = parseArgs({ options: { rules: { type: 'string' } } });
const rulesPath = values.rules ?? `${root}config/detection-uci.json`;

/** The README's reference: same issueType + subIssueType, chained within 1 day — pairwise F1 0.26. */
const NAIVE: DetectionRuleSet = { name: 'naive', keyFields: ['issueType', 'subIssueType'], titleSimilarity: 0,
  windowHours: 24, minCount: 2 };

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

function row(name: string, s: Scores, extra = ''): string {
  const f = (x: number): string => x.toFixed(3);
  return `${name.padEnd(34)} P ${f(s.precision)}  R ${f(s.recall)}  F1 ${f(s.f1)}   B³ P ${f(s.bcubedPrecision)}  `
    + `R ${f(s.bcubedRecall)}  F1 ${f(s.bcubedF1)}  (${s.correctPairs}/${s.predictedPairs} pairs)${extra}`;
}

function shape(groups: readonly { ticketIds: readonly number[] }[]): string {
  const sizes = groups.map((g) => g.ticketIds.length).sort((a, b) => b - a);
  const grouped = sizes.reduce((n, s) => n + s, 0);
  const median = sizes.length ? sizes[Math.floor(sizes.length / 2)]! : 0;
  return `${groups.length} groups, ${grouped} tickets grouped, largest ${sizes.slice(0, 5).join('/')}, median ${median}`;
}

async function main(): Promise<void> {
  const ticketsPath = `${dataDir}tickets.jsonl`;
  const goldPath = `${dataDir}gold.jsonl`;
  if (!existsSync(ticketsPath) || !existsSync(goldPath)) {
    console.log(`detection-uci: skipped — ${ticketsPath} or gold.jsonl not found (see issue 7 for the data set).`);
    return;
  }
  const gold = new Map<number, string>();
  for (const line of readFileSync(goldPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { id, group } = JSON.parse(line) as { id: number; group: string };
    gold.set(id, group);
  }

  const tuned = await runDetect(['--input', ticketsPath, '--rules', rulesPath]);
  const tunedScores = scoreGrouping(tuned.groups.map((g) => g.ticketIds), gold);

  // The baseline through the same rules engine, to check it reproduces the README's figure.
  const { tickets } = await readTicketsFile(ticketsPath);
  const naive = detectProblems({ tickets, ruleSets: [NAIVE], options: { linkCompleted: true, now: latest(tickets) } });
  const naiveScores = scoreGrouping(naive.groups.map((g) => g.ticketIds), gold);

  const stories = allStories();
  const storyTickets = stories.flatMap((s) => s.tickets);
  const storyGold = new Map<number, string>(storyTickets.map((t) => [t.id, `alone-${t.id}`]));
  stories.forEach((s, i) => s.groups.forEach((g, j) => g.forEach((id) => storyGold.set(id, `${i}-${j}`))));
  const storyGroups = detectProblems({ tickets: storyTickets, ruleSets: defaultRuleSets(),
    options: { linkCompleted: false, now: latest(storyTickets) } }).groups;
  const storyScores = scoreGrouping(storyGroups.map((g) => g.ticketIds), storyGold);

  console.log(`UCI incident log: ${tickets.length} tickets, ${gold.size} labelled, ${tunedScores.goldPairs} gold pairs, `
    + `B-cubed over ${tunedScores.bcubedTickets} tickets in gold groups of two or more`);
  console.log(`rules: ${rulesPath.replace(root, '')}`);
  console.log(row('tuned rules (detect command)', tunedScores, `  ${Math.round(tuned.ms)} ms`));
  console.log(row('naive baseline (README: F1 0.26)', naiveScores));
  console.log(`  tuned: ${shape(tuned.groups)}`);
  console.log(`  naive: ${shape(naive.groups)}`);
  console.log(row('stories, default rule sets', storyScores));
  console.log(`  ${tuned.summary}`);
}

await main();
