/**
 * The stopwatch as a pure state machine (issue 8). A stopwatch is a list of running intervals; the worked time is
 * their sum, so a pause is simply "close the open interval" and a resume "open a new one". The Redis store re-runs
 * these transitions inside a compare-and-set, so every rule about what may happen lives here and nowhere else.
 *
 * Clocks: `now` comes from whichever worker process handles the request, and those clocks can disagree or step
 * backwards. A transition therefore never records an instant earlier than the latest one already on the stopwatch
 * (it uses max(now, latest)): intervals never overlap (no second is counted twice) and never end before they
 * start (a clock that went backwards counts 0 for that interval, never a negative amount).
 */
import type { TimeEntryInput } from './time-entry-input.js';

export type StopwatchState = 'running' | 'paused' | 'stopped';

export interface StopwatchInterval {
  /** ISO instant (UTC). */
  readonly start: string;
  /** ISO instant, null while this interval is running. */
  readonly end: string | null;
}

export interface Stopwatch {
  readonly id: string;
  readonly ticketId: number;
  readonly resourceId: number;
  readonly roleId: number | null;
  readonly summaryNotes: string | null;
  readonly internalNotes: string | null;
  readonly state: StopwatchState;
  readonly intervals: readonly StopwatchInterval[];
  readonly startedAt: string;
  readonly stoppedAt: string | null;
}

export type StopwatchRefusalCode = 'ALREADY_RUNNING' | 'ALREADY_PAUSED' | 'ALREADY_STOPPED' | 'INVALID_INPUT';

export interface StopwatchRefusal {
  readonly ok: false;
  readonly code: StopwatchRefusalCode;
  readonly reason: string;
}

export type StopwatchResult<T extends Stopwatch = Stopwatch> = { readonly ok: true; readonly value: T } | StopwatchRefusal;

export interface StartStopwatchInput {
  id: string;
  ticketId: number;
  resourceId: number;
  roleId?: number | null;
  summaryNotes?: string | null;
  internalNotes?: string | null;
}

export interface StopStopwatchInput {
  summaryNotes?: string | null;
  internalNotes?: string | null;
}

function refuse(code: StopwatchRefusalCode, reason: string): StopwatchRefusal {
  return { ok: false, code, reason };
}

function isPositiveId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function validNow(now: Date): boolean {
  return now instanceof Date && !Number.isNaN(now.getTime());
}

/** Latest instant recorded on the stopwatch, in ms; transitions never record anything earlier. */
function latestMs(sw: Stopwatch): number {
  let latest = Date.parse(sw.startedAt);
  for (const interval of sw.intervals) {
    latest = Math.max(latest, Date.parse(interval.start), interval.end === null ? -Infinity : Date.parse(interval.end));
  }
  return latest;
}

function effectiveNow(sw: Stopwatch, now: Date): string {
  return new Date(Math.max(now.getTime(), latestMs(sw))).toISOString();
}

function closeOpenInterval(intervals: readonly StopwatchInterval[], at: string): StopwatchInterval[] {
  return intervals.map((interval) => (interval.end === null ? { start: interval.start, end: at } : interval));
}

/** Builds a new running stopwatch. Ids must be positive integers (Autotask ids); text is kept as given, empty → null. */
export function startStopwatch(input: StartStopwatchInput, now: Date): StopwatchResult {
  if (typeof input.id !== 'string' || input.id.length === 0) return refuse('INVALID_INPUT', 'id: a non-empty id is required');
  if (!isPositiveId(input.ticketId)) return refuse('INVALID_INPUT', 'ticketId: a positive integer is required');
  if (!isPositiveId(input.resourceId)) return refuse('INVALID_INPUT', 'resourceId: a positive integer is required');
  if (input.roleId !== undefined && input.roleId !== null && !isPositiveId(input.roleId)) {
    return refuse('INVALID_INPUT', 'roleId: a positive integer or null is required');
  }
  if (!validNow(now)) return refuse('INVALID_INPUT', 'now: not a valid instant');
  const at = now.toISOString();
  return {
    ok: true,
    value: {
      id: input.id,
      ticketId: input.ticketId,
      resourceId: input.resourceId,
      roleId: input.roleId ?? null,
      summaryNotes: emptyToNull(input.summaryNotes),
      internalNotes: emptyToNull(input.internalNotes),
      state: 'running',
      intervals: [{ start: at, end: null }],
      startedAt: at,
      stoppedAt: null,
    },
  };
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/** running → paused (closes the open interval). Extra fields of T (e.g. what the store keeps) are preserved. */
export function pauseStopwatch<T extends Stopwatch>(sw: T, now: Date): StopwatchResult<T> {
  if (sw.state === 'paused') return refuse('ALREADY_PAUSED', `stopwatch ${sw.id} is already paused`);
  if (sw.state === 'stopped') return refuse('ALREADY_STOPPED', `stopwatch ${sw.id} is stopped`);
  if (!validNow(now)) return refuse('INVALID_INPUT', 'now: not a valid instant');
  const at = effectiveNow(sw, now);
  return { ok: true, value: { ...sw, state: 'paused', intervals: closeOpenInterval(sw.intervals, at) } };
}

/** paused → running (opens a new interval). */
export function resumeStopwatch<T extends Stopwatch>(sw: T, now: Date): StopwatchResult<T> {
  if (sw.state === 'running') return refuse('ALREADY_RUNNING', `stopwatch ${sw.id} is already running`);
  if (sw.state === 'stopped') return refuse('ALREADY_STOPPED', `stopwatch ${sw.id} is stopped`);
  if (!validNow(now)) return refuse('INVALID_INPUT', 'now: not a valid instant');
  const at = effectiveNow(sw, now);
  // A paused stopwatch has no open interval; closing is a no-op kept for safety against hand-edited records.
  const intervals = [...closeOpenInterval(sw.intervals, at), { start: at, end: null }];
  return { ok: true, value: { ...sw, state: 'running', intervals } };
}

/**
 * running|paused → stopped. Notes given at stop replace the ones given at start (the INTERFACE stop body carries
 * `summaryNotes`/`internalNotes`); absent or empty ones keep what was there.
 */
export function stopStopwatch<T extends Stopwatch>(sw: T, now: Date, input: StopStopwatchInput = {}): StopwatchResult<T> {
  if (sw.state === 'stopped') return refuse('ALREADY_STOPPED', `stopwatch ${sw.id} is already stopped`);
  if (!validNow(now)) return refuse('INVALID_INPUT', 'now: not a valid instant');
  const at = effectiveNow(sw, now);
  return {
    ok: true,
    value: {
      ...sw,
      state: 'stopped',
      intervals: closeOpenInterval(sw.intervals, at),
      stoppedAt: at,
      summaryNotes: emptyToNull(input.summaryNotes) ?? sw.summaryNotes,
      internalNotes: emptyToNull(input.internalNotes) ?? sw.internalNotes,
    },
  };
}

/**
 * Whole seconds worked: the sum of the running intervals (an open one runs until `now`), floored once at the
 * end so sub-second pieces are not lost interval by interval. Never negative: an interval whose end lies before
 * its start (a clock that went backwards) counts 0.
 */
export function workedSeconds(sw: Stopwatch, now: Date): number {
  let ms = 0;
  for (const interval of sw.intervals) {
    const start = Date.parse(interval.start);
    const end = interval.end === null ? now.getTime() : Date.parse(interval.end);
    const piece = end - start;
    if (Number.isFinite(piece) && piece > 0) ms += piece;
  }
  return Math.floor(ms / 1000);
}

/**
 * The `push-time-entries` entry of a stopped stopwatch (docs/contract.md#time-entry-input): the stopwatch id is the
 * entry key, the span runs from the first start to the stop, and `workedSeconds` is the paused-out total.
 * Returns null while the stopwatch is not stopped.
 */
export function stopwatchEntry(sw: Stopwatch): TimeEntryInput | null {
  if (sw.state !== 'stopped' || sw.stoppedAt === null) return null;
  const stoppedAt = new Date(sw.stoppedAt);
  return {
    key: sw.id,
    ticketId: sw.ticketId,
    resourceId: sw.resourceId,
    roleId: sw.roleId,
    startDateTime: sw.startedAt,
    endDateTime: new Date(Math.max(stoppedAt.getTime(), Date.parse(sw.startedAt))).toISOString(),
    workedSeconds: workedSeconds(sw, stoppedAt),
    summaryNotes: sw.summaryNotes ?? '',
    internalNotes: sw.internalNotes,
  };
}
