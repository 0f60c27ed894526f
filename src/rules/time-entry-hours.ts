/**
 * Worked seconds → billed `hoursWorked` under the configured rounding policy (issue 8 "Hours").
 *
 * docs/autotask-api.md#time-entries: hoursWorked must be > 0 and ≤ 24. Autotask keeps hours to 4 decimals (0.0001 h =
 * 0.36 s), so the result is rounded to 4 decimals at most.
 *
 * - none:     billed = worked.
 * - up:       billed = worked rounded up to the next multiple of `minutes`.
 * - nearest:  billed = worked rounded to the nearest multiple of `minutes` (half rounds up); work shorter than
 *             half an increment bills one increment rather than 0, because Autotask refuses 0 hours and real work
 *             must not vanish (so nearest stays monotonic: 0 < w < ½·N → N, ½·N ≤ w < 1½·N → N).
 * - minimumMinutes: any work shorter than this bills this much (0 = off), applied after rounding.
 * Every mode is monotonic: more worked seconds never bill fewer hours.
 */
export type RoundingMode = 'none' | 'up' | 'nearest';

export interface RoundingPolicy {
  mode: RoundingMode;
  /** Increment in minutes (≥ 1). */
  minutes: number;
  /** Minimum billable minutes (0 = off). */
  minimumMinutes: number;
}

export const MAX_HOURS = 24;
export const MAX_SECONDS = MAX_HOURS * 3600;

/** Billed seconds for `worked` seconds (may be fractional). 0 or less stays 0: there is nothing to bill. */
export function billedSeconds(worked: number, rounding: RoundingPolicy): number {
  if (!Number.isFinite(worked) || worked <= 0) return 0;
  const increment = Math.max(1, rounding.minutes) * 60;
  let billed: number;
  switch (rounding.mode) {
    case 'none':
      billed = worked;
      break;
    case 'up':
      billed = Math.ceil(worked / increment) * increment;
      break;
    case 'nearest':
      billed = Math.max(1, Math.round(worked / increment)) * increment;
      break;
  }
  return Math.max(billed, Math.max(0, rounding.minimumMinutes) * 60);
}

/** Hours to at most 4 decimals, rounded half up. */
export function roundHours(seconds: number): number {
  return Math.round((seconds / 3600) * 10_000) / 10_000;
}

/** Hours to at most 4 decimals, rounded down: used where rounding up would exceed a limit. */
export function floorHours(seconds: number): number {
  return Math.floor((seconds / 3600) * 10_000 + 1e-9) / 10_000;
}

/** The billed hours for `worked` seconds, capped at 24 (docs/autotask-api.md#time-entries: hoursWorked ≤ 24). */
export function hoursWorked(worked: number, rounding: RoundingPolicy): number {
  return Math.min(MAX_HOURS, roundHours(billedSeconds(worked, rounding)));
}

/** Human text for reasons: 5400 → "90 min", 95 → "1 min 35 s". */
export function describeSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  const min = Math.floor(whole / 60);
  const sec = whole % 60;
  if (min === 0) return `${sec} s`;
  return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
}
