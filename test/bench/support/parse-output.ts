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

interface PopulationScores { grouped: string; trueShare: string; p: string; r: string; f1: string; b3: string; linkP: string }

function scores(line: string | undefined): PopulationScores | null {
  const match = line && /grouped\s+([\d.]+%) \(true ([\d.]+%)\)\s+P ([\d.]+)\s+R ([\d.]+)\s+F1 ([\d.]+)\s+B³ F1 ([\d.]+)\s+link P ([\d.]+)/.exec(line);
  return match ? { grouped: match[1]!, trueShare: match[2]!, p: match[3]!, r: match[4]!, f1: match[5]!, b3: match[6]!, linkP: match[7]! } : null;
}

/** Per data set: the defaults' whole-population figures (goal: share grouped ≤ 3× the true share), the sweep's best. */
export function parseDetectionUci(stdout: string): Figure[] {
  const text = lines(stdout);
  const figures: Figure[] = [];
  const skipped = text.find((l) => l.includes('skipped'));
  if (skipped) figures.push({ figure: 'detection on real logs', measured: skipped.replace(/^detection-uci:\s*/, ''), target: 'grouped ≤ 3× true share', met: null });
  for (const line of text) {
    const name = /^(\S+) defaults \(detect\)/.exec(line)?.[1];
    if (!name) continue;
    const d = scores(line);
    const best = scores(text.find((l) => l.startsWith(`${name} best fixed rule`)));
    if (!d) continue;
    figures.push({ figure: `detection, ${name}, defaults, whole population: share grouped (true share)`, measured: `${d.grouped} (${d.trueShare}); `
      + `P ${d.p} R ${d.r} F1 ${d.f1}, B³ F1 ${d.b3}, link P ${d.linkP}`, target: '≤ 3× the true share',
    met: Number(d.grouped.slice(0, -1)) <= 3 * Number(d.trueShare.slice(0, -1)) });
    if (best) figures.push({ figure: `detection, ${name}, best fixed rule of the sweep (baseline)`, measured: `${best.grouped}; P ${best.p} R ${best.r} F1 ${best.f1}, `
      + `B³ F1 ${best.b3}, link P ${best.linkP}`, target: 'reference', met: null });
  }
  const stories = scores(text.find((l) => l.startsWith('stories')));
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
