/**
 * Figures out of the prose of the benches that do not print `BENCH` lines (governor, invoice grouping, the two
 * detection benches), for the one table of run-all.ts. Each parser returns [] when its lines are not there,
 * and run-all then shows the bench's last line instead. Targets are the issues' (6: grouping 1M items ≤ 1.5 s;
 * 7: detection 1M tickets ≤ 5 s, UCI pairwise F1 ≥ 0.35 vs the naive 0.26, stories P = R = 1.0).
 */
import type { Figure } from './report.js';

const lines = (stdout: string) => stdout.split('\n').map((l) => l.trim());

export function parseGovernor(stdout: string): Figure[] {
  const figures: Figure[] = [];
  for (const line of lines(stdout)) {
    const match = /^(.+?)\s{2,}(\d+) acquire\+release\/s\s+\(([\d.]+) ms each\)/.exec(line);
    if (match) {
      figures.push({ figure: `governor: ${match[1]}`, measured: `${Number(match[2]).toLocaleString('en')} acquire+release/s (${match[3]} ms each)`,
        target: 'reference', met: null });
    }
  }
  return figures;
}

export function parseInvoiceGrouping(stdout: string): Figure[] {
  const text = lines(stdout);
  const items = /invoice grouping: ([\d,]+) items/.exec(stdout)?.[1] ?? '?';
  const figures: Figure[] = [];
  const timing = text.map((l) => /^median (\d+) ms \(min (\d+) ms, max (\d+) ms\); budget (\d+) ms/.exec(l)).find(Boolean);
  if (timing) {
    const [, median, min, max, budget] = timing;
    figures.push({ figure: `invoice grouping ${items} items: median wall`, measured: `${median} ms (min ${min}, max ${max})`,
      target: `≤ ${budget} ms`, met: Number(median) <= Number(budget) });
  }
  const rss = /peak RSS of the process (\d+ MB)/.exec(stdout);
  if (rss) figures.push({ figure: 'invoice grouping: peak RSS (incl. the 1M input items)', measured: rss[1]!, target: 'reference', met: null });
  return figures;
}

function scores(line: string | undefined): { p: string; r: string; f1: string; b3: string } | null {
  const match = line && /P ([\d.]+)\s+R ([\d.]+)\s+F1 ([\d.]+)\s+B³ P [\d.]+\s+R [\d.]+\s+F1 ([\d.]+)/.exec(line);
  return match ? { p: match[1]!, r: match[2]!, f1: match[3]!, b3: match[4]! } : null;
}

export function parseDetectionUci(stdout: string): Figure[] {
  const text = lines(stdout);
  const skipped = text.find((l) => l.includes('skipped'));
  if (skipped) return [{ figure: 'detection on the UCI incident log', measured: skipped.replace(/^detection-uci:\s*/, ''), target: 'F1 ≥ 0.35', met: null }];
  const tuned = scores(text.find((l) => l.startsWith('tuned rules')));
  const naive = scores(text.find((l) => l.startsWith('naive baseline')));
  const stories = scores(text.find((l) => l.startsWith('stories')));
  const figures: Figure[] = [];
  if (tuned) {
    figures.push({ figure: 'detection, UCI incident log: pairwise F1 (tuned rules)', measured: `${tuned.f1} (P ${tuned.p}, R ${tuned.r}; B³ F1 ${tuned.b3})`,
      target: `≥ 0.35 (naive baseline ${naive?.f1 ?? '0.26'})`, met: Number(tuned.f1) >= 0.35 });
  }
  if (stories) {
    figures.push({ figure: 'detection, demo stories: pairwise precision / recall', measured: `${stories.p} / ${stories.r}`, target: '1.000 / 1.000',
      met: Number(stories.p) === 1 && Number(stories.r) === 1 });
  }
  return figures;
}

export function parseDetection1m(stdout: string): Figure[] {
  const runs = lines(stdout).map((l) => /^run \d+: ([\d.]+) s wall, ([\d.]+) s cpu;.*peak rss (\d+) MB/.exec(l)).filter((m) => m !== null);
  if (runs.length === 0) return [];
  const walls = runs.map((m) => Number(m[1])).sort((a, b) => a - b);
  const median = walls[Math.floor((walls.length - 1) / 2)]!;
  const peak = Math.max(...runs.map((m) => Number(m[3])));
  const generated = /generated ([\d,]+) tickets/.exec(stdout)?.[1] ?? '1,000,000';
  return [
    { figure: `detection ${generated} tickets: median wall of ${runs.length} runs`, measured: `${median.toFixed(2)} s (${walls.map((w) => w.toFixed(2)).join(', ')})`,
      target: '≤ 5 s', met: median <= 5 },
    { figure: 'detection 1M: peak RSS (incl. the 1M input tickets)', measured: `${peak} MB`, target: 'bounded (reference)', met: null },
  ];
}
