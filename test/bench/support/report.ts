/**
 * What every bench of this suite prints besides its own prose: one `BENCH {json}` line per figure, so
 * test/bench/run-all.ts can gather them into one table without guessing at wording. Also the machine
 * description (README figures are meaningless without it) and a peak-RSS sampler.
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

export const FIGURE_MARK = 'BENCH ';

export interface Figure {
  figure: string;
  measured: string;
  target: string;
  /** null: informational, no target. */
  met: boolean | null;
}

export function printFigure(figure: Figure): void {
  console.log(`${FIGURE_MARK}${JSON.stringify(figure)}`);
}

/** Parses the figure lines out of a bench's stdout (lines that are not figures are ignored). */
export function parseFigures(stdout: string): Figure[] {
  const figures: Figure[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(FIGURE_MARK)) continue;
    try {
      const value = JSON.parse(line.slice(FIGURE_MARK.length)) as Figure;
      if (typeof value.figure === 'string' && typeof value.measured === 'string') figures.push(value);
    } catch { /* a truncated line: not a figure */ }
  }
  return figures;
}

export function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? 'unknown CPU';
}

export function machine(): string {
  return `${cpus().length} CPUs (${cpuModel()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Samples process RSS every `everyMs` until stopped; the peak includes the sample taken at stop. */
export function rssSampler(everyMs = 10): { peak(): number; stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, everyMs);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak;
    },
  };
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}
