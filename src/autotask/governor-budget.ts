/**
 * Pure arithmetic of the hourly budget (docs/autotask-api.md#request-threshold: 10,000 requests per rolling hour per
 * Autotask database, shared by every integration of the tenant; latency is added from about 50% usage).
 *
 * The Lua scripts of governor-scripts.ts do the same sums atomically inside Redis; these functions are the
 * readable, unit-tested statement of that arithmetic and compute what needs no atomicity (the retryAt estimate,
 * the slot-wait backoff). Times here are Redis server milliseconds, so the clocks of processes never matter.
 */
import { MS } from '../lib/time.js';

/** Autotask's threshold window: one rolling hour. */
export const WINDOW_MS = MS.hour;
/** Assumed externalRequestThreshold until the first ThresholdInformation read (docs/autotask-api.md#request-threshold: 10,000 by default). */
export const DEFAULT_THRESHOLD = 10_000;
/**
 * Per-minute buckets kept in the window: the current (partial) minute and the 60 before it. A request
 * therefore stays counted for between 60 and 61 minutes — a little longer than Autotask counts it, never shorter,
 * so the estimate errs on the safe side.
 */
export const WINDOW_BUCKETS = 61;
/** The earliest a BudgetExhaustedError tells a job to come back: retrying sooner only costs Redis round trips. */
export const MIN_RETRY_MS = 1_000;

export type Buckets = ReadonlyArray<readonly [minute: number, count: number]>;

export function minuteOf(ms: number): number {
  return Math.floor(ms / MS.minute);
}

/** The oldest bucket minute still inside the rolling hour at `nowMs`. */
export function oldestLiveMinute(nowMs: number): number {
  return minuteOf(nowMs) - (WINDOW_BUCKETS - 1);
}

/** When the bucket of `minute` leaves the window (the first ms at which oldestLiveMinute passes it). */
export function bucketLeavesAt(minute: number): number {
  return (minute + WINDOW_BUCKETS) * MS.minute;
}

/** This deployment's requests in the rolling hour. */
export function ownUsage(buckets: Buckets, nowMs: number): number {
  const oldest = oldestLiveMinute(nowMs);
  let total = 0;
  for (const [minute, count] of buckets) if (minute >= oldest) total += count;
  return total;
}

/**
 * The ceiling this worker keeps the tenant under. The small epsilon keeps e.g. 0.29 × 100 at 29 (binary floating
 * point gives 28.999…); the Lua scripts use the same expression so both agree to the request.
 */
export function budgetCeiling(fraction: number, threshold: number | null): number {
  return Math.max(0, Math.floor(fraction * (threshold ?? DEFAULT_THRESHOLD) + 1e-9));
}

/** What the budget estimate needs of the last ThresholdInformation read stored in Redis. */
export interface ThresholdObservation {
  /** currentTimeframeRequestCount minus our own rolling-hour usage at the time of the read (never negative). */
  external: number;
  /** Redis server time of the read. */
  observedAt: number;
}

/**
 * Requests of other integrations of the tenant, as far as we know them. The tenant total ≈ the read's
 * currentTimeframeRequestCount + our requests since the read; we split the read into our part (known exactly
 * from our buckets, and rolling out of the window as they age) and the others' part, which we hold constant:
 * whatever of theirs ages out is assumed to be replaced at the same rate until the next read tells us better.
 * A read older than the window says nothing about the current window any more, so it stops counting.
 */
export function externalUsage(observation: ThresholdObservation | null, nowMs: number): number {
  if (!observation || nowMs - observation.observedAt >= WINDOW_MS) return 0;
  return observation.external;
}

export function estimateUsed(buckets: Buckets, observation: ThresholdObservation | null, nowMs: number): number {
  return ownUsage(buckets, nowMs) + externalUsage(observation, nowMs);
}

export interface RetryAtInput {
  buckets: Buckets;
  observation: ThresholdObservation | null;
  nowMs: number;
  ceiling: number;
  /** config.autotask.thresholdRefreshMs: when the next ThresholdInformation read is due. */
  refreshMs: number;
}

/**
 * When one more request will fit under the ceiling (server ms). We replay the future of the estimate: our own
 * buckets leave the window one by one at known times, and the others' share leaves when the read that measured
 * it is a full window old. The first moment the estimate drops below the ceiling is the answer — unless the
 * next ThresholdInformation read is due earlier: a fresh read may show that others' requests aged out too, so
 * jobs come back then to find out (a wrong guess costs one Redis round trip and yields a new retryAt).
 * Never sooner than MIN_RETRY_MS, never later than one window (by then every counted request has aged out).
 */
export function estimateRetryAt(input: RetryAtInput): number {
  const { buckets, observation, nowMs, ceiling, refreshMs } = input;
  const floor = nowMs + MIN_RETRY_MS;
  const cap = nowMs + WINDOW_MS + MS.minute;
  const events: Array<{ at: number; drop: number }> = [];
  const oldest = oldestLiveMinute(nowMs);
  for (const [minute, count] of buckets) if (minute >= oldest && count > 0) events.push({ at: bucketLeavesAt(minute), drop: count });
  const external = externalUsage(observation, nowMs);
  if (observation && external > 0) events.push({ at: observation.observedAt + WINDOW_MS, drop: external });
  events.sort((a, b) => a.at - b.at);

  let used = ownUsage(buckets, nowMs) + external;
  let frees = cap;
  if (used < ceiling) frees = nowMs;
  else {
    for (const event of events) {
      used -= event.drop;
      if (used < ceiling) { frees = event.at; break; }
    }
  }
  if (observation && observation.observedAt + refreshMs > nowMs) frees = Math.min(frees, observation.observedAt + refreshMs);
  return Math.min(cap, Math.max(floor, frees));
}

/**
 * Pause before polling a busy slot again: a few ms, growing a little with each attempt, with ±50% jitter so
 * that waiters of many processes do not poll in lockstep. `random` is Math.random in production.
 * `freesInMs` (server ms until the first slot frees by itself: a cooling slot's end) caps the pause, so the
 * waiter asks again 1 ms after that moment rather than up to a whole backoff later; a slot given back earlier
 * is still found by the backoff polls.
 */
export function slotWaitDelay(attempt: number, random: () => number, freesInMs = Number.POSITIVE_INFINITY): number {
  const base = Math.min(3 * 1.25 ** attempt, 50);
  const backoff = Math.max(1, Math.round(base * (0.5 + random())));
  return Number.isFinite(freesInMs) ? Math.max(1, Math.min(backoff, Math.ceil(freesInMs) + 1)) : backoff;
}

/**
 * The budget a run is measured against (docs/request-cost.md): the client's last governor or ThresholdInformation
 * figures, or, before either is known, the default threshold × budgetFraction with nothing used yet.
 */
export function runBudget(known: { ceiling: number; left: number }, budgetFraction: number): { ceiling: number; left: number } {
  if (known.ceiling > 0) return { ceiling: known.ceiling, left: known.left };
  const ceiling = Math.floor(DEFAULT_THRESHOLD * budgetFraction);
  return { ceiling, left: ceiling };
}
