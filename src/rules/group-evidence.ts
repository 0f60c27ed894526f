/**
 * How sure detection is that a chain of look-alike tickets is one recurring problem, 0..1, with the reason
 * (issue 15, "conservative defaults that generalise"). A key that gets tickets all the time (a busy
 * configuration item, a busy queue) produces look-alike repeats by chance: "Password reset" comes back every day on
 * a terminal server everybody uses. So the evidence has to rise above the key's own base rate:
 *  - share: the chain is most of its key's traffic around the time it runs (a quiet CI that only ever reports this
 *    alert) — judged over at least a day either side, so three tickets in ten minutes are not "all of the traffic";
 *  - regular: over two days or more, the repeats come at a steady interval and at the same time of day (a job, a
 *    schedule) — arrivals at random, as everyday traffic comes, are neither;
 *  - burst: so many tickets in the chain's span that the key's other traffic would make it by chance less than once
 *    in a million, counting every span of that length in the key's history (ten "VPN down" in an hour on a CI
 *    that gets one ticket a day; not three tickets in 15 minutes of a category that gets dozens a day);
 * and the titles must agree: the score is scaled by how alike the members' titles are to the first one's (by half
 * when the rule set does not compare titles at all).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ChainEvidenceInput {
  /** Create times of the members, ascending. */
  readonly times: readonly number[];
  /** Create times of every candidate of the key (the bucket), ascending: the key's base rate. */
  readonly bucketTimes: readonly number[];
  /** Mean title similarity of the members to the first member, 0..1; null when titles are not compared. */
  readonly titleAgreement: number | null;
}

export interface Evidence {
  readonly confidence: number;
  readonly reason: string;
}

/** A burst scores 1 when chance would produce it less than once in 10^6 (counting every span of the history). */
const BURST_DIGITS = 6;

/** log10 of P(X ≥ n) for X ~ Poisson(mu), summed in log space so tiny chances do not round to 0. */
function log10PoissonTail(n: number, mu: number): number {
  if (mu <= 0) return -Infinity;
  if (mu >= n) return 0;
  let logTerm = -mu;
  for (let k = 1; k <= n; k += 1) logTerm += Math.log(mu) - Math.log(k);
  // Terms after the n-th shrink at least geometrically (ratio mu/(k+1) < 1): a bounded sum suffices.
  let sum = 1;
  let rel = 1;
  for (let k = n + 1; k < n + 200 && rel > 1e-12; k += 1) { rel *= mu / k; sum += rel; }
  return (logTerm + Math.log(sum)) / Math.LN10;
}

const clamp = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const round2 = (x: number): number => Math.round(x * 100) / 100;

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** 1 - coefficient of variation of the gaps: 1 for a metronome, about 0 for random (exponential) gaps. */
function gapRegularity(times: readonly number[]): { score: number; meanGap: number } {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i += 1) gaps.push(times[i]! - times[i - 1]!);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  if (mean <= 0) return { score: 0, meanGap: 0 };
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  return { score: clamp(1 - sd / mean), meanGap: mean };
}

/**
 * Same time of day: the length of the mean of the members' clock times on a circle, less what random times reach
 * by chance (about 1/√n), rescaled to 0..1.
 */
function timeOfDayRegularity(times: readonly number[]): number {
  let x = 0;
  let y = 0;
  for (const t of times) {
    const angle = (((t % DAY) + DAY) % DAY) / DAY * 2 * Math.PI;
    x += Math.cos(angle);
    y += Math.sin(angle);
  }
  const r = Math.hypot(x, y) / times.length;
  const chance = 1 / Math.sqrt(times.length);
  return clamp((r - chance) / (1 - chance));
}

function describeGap(ms: number): string {
  return ms >= DAY ? `${(ms / DAY).toFixed(1)} days` : ms >= HOUR ? `${(ms / HOUR).toFixed(1)} hours` : `${Math.round(ms / 60_000)} minutes`;
}

export function chainEvidence({ times, bucketTimes, titleAgreement }: ChainEvidenceInput): Evidence {
  const n = times.length;
  const first = times[0]!;
  const last = times[n - 1]!;
  const reach = Math.max(last - first, DAY);
  const inSpan = Math.max(n, lowerBound(bucketTimes, last + reach + 1) - lowerBound(bucketTimes, first - reach));
  const share = n / inSpan;

  // Regularity needs three or more repeats to mean anything; three random times look regular often enough (about
  // one in five) that three count half, four and more in full.
  let regular = 0;
  let meanGap = 0;
  if (n >= 3 && last - first >= 2 * DAY) {
    const gaps = gapRegularity(times);
    meanGap = gaps.meanGap;
    regular = Math.min(gaps.score, timeOfDayRegularity(times)) * Math.min(1, (n - 2) / 2);
  }

  // Burst: how unlikely n tickets in the chain's span are at the rate of the key's other tickets (Poisson), times
  // the number of such spans in the key's history (one of them is bound to look unusual).
  const others = bucketTimes.length - n;
  let burst = 0;
  let expected = 0;
  if (others > 0) {
    const chainSpan = Math.max(last - first, HOUR);
    const history = Math.max(bucketTimes[bucketTimes.length - 1]! - bucketTimes[0]!, chainSpan);
    expected = (others / history) * chainSpan;
    const log10Chance = log10PoissonTail(n, expected) + Math.log10(history / chainSpan);
    burst = clamp(-log10Chance / BURST_DIGITS);
  }

  const titleFactor = titleAgreement === null ? 0.5 : 0.5 + 0.5 * clamp(titleAgreement);
  const strongest = Math.max(share, regular, burst);
  const confidence = round2(clamp(strongest * titleFactor));
  const parts = [
    `${n} of ${inSpan} tickets of this key in its span (${round2(share)})`,
    n >= 3 ? `${regular >= 0.5 ? 'regular' : 'irregular'} (${round2(regular)}, every ~${describeGap(meanGap)})` : 'too few for regularity',
    others > 0 ? `${n} in its span where the key's other traffic gives ${round2(expected)} (burst ${round2(burst)})` : 'no other traffic on this key',
    titleAgreement === null ? 'titles not compared (x0.5)' : `titles agree ${round2(titleAgreement)}`,
  ];
  return { confidence, reason: `confidence ${confidence}: ${parts.join('; ')}` };
}

/** An existing Problem gaining tickets: as sure as the joining tickets matched it (problem-anchors.ts). */
export function anchorEvidence(scores: readonly number[]): Evidence {
  const mean = scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
  const confidence = round2(clamp(mean));
  return { confidence, reason: `confidence ${confidence}: ${scores.length} ticket${scores.length === 1 ? '' : 's'} matched the open Problem `
    + `(its own title, most of its incidents, or our group key) with mean similarity ${confidence}` };
}
