/**
 * The governor's hourly history, for the console's 24 h budget chart and throttled counts (issue 18). The per-minute
 * budget buckets (governor-budget.ts) only reach back 61 minutes; these hourly counters reach back a day. The Lua
 * scripts (governor-scripts.ts) count into a HASH of `<kind>:<hour>` fields and drop fields older than
 * HISTORY_HOURS; this file is the readable, unit-tested statement of what a read of that HASH means.
 */
import { MS } from '../lib/time.js';

/** Hours kept: the current (partial) hour and the 24 before it. */
export const HISTORY_HOURS = 25;

/**
 * What is counted per hour:
 * - `r` requests the governor let through to Autotask (the budget's own count);
 * - `q` answers 429 from Autotask (thread limit or hourly threshold): throttled by Autotask;
 * - `b` requests the governor held back because the hourly budget was used up (BudgetExhaustedError);
 * - `w` requests that found every slot of their endpoint busy and waited for one.
 */
export const HISTORY_KINDS = { requests: 'r', throttled429: 'q', budgetHeld: 'b', slotWaits: 'w' } as const;
export type HistoryKind = (typeof HISTORY_KINDS)[keyof typeof HISTORY_KINDS];

export interface HourUsage {
  /** Start of the hour, ISO UTC. */
  hour: string;
  requests: number;
  throttled429: number;
  budgetHeld: number;
  slotWaits: number;
}

export function hourOf(ms: number): number {
  return Math.floor(ms / MS.hour);
}

/** The oldest hour still kept at `nowMs`. */
export function oldestKeptHour(nowMs: number): number {
  return hourOf(nowMs) - (HISTORY_HOURS - 1);
}

/**
 * The HASH as read (field → count) turned into one entry per hour, oldest first, the current hour last, every
 * kept hour present (zeros where nothing was counted). Fields of other shapes or older hours are ignored.
 */
export function hourlyHistory(fields: Record<string, string | number>, nowMs: number): HourUsage[] {
  const oldest = oldestKeptHour(nowMs);
  const current = hourOf(nowMs);
  const hours: HourUsage[] = [];
  for (let h = oldest; h <= current; h++) {
    hours.push({ hour: new Date(h * MS.hour).toISOString(), requests: 0, throttled429: 0, budgetHeld: 0, slotWaits: 0 });
  }
  const names = Object.entries(HISTORY_KINDS) as Array<[keyof typeof HISTORY_KINDS, HistoryKind]>;
  for (const [field, raw] of Object.entries(fields)) {
    const match = /^([a-z]):(\d+)$/.exec(field);
    if (!match) continue;
    const hour = Number(match[2]);
    const count = Number(raw);
    const name = names.find(([, kind]) => kind === match[1])?.[0];
    if (!name || hour < oldest || hour > current || !Number.isFinite(count)) continue;
    hours[hour - oldest]![name] += count;
  }
  return hours;
}

/** Totals over the hours given (e.g. the last one for "this hour", all for "24 h"). */
export function totals(hours: readonly HourUsage[]): Omit<HourUsage, 'hour'> {
  const sum = { requests: 0, throttled429: 0, budgetHeld: 0, slotWaits: 0 };
  for (const h of hours) {
    sum.requests += h.requests;
    sum.throttled429 += h.throttled429;
    sum.budgetHeld += h.budgetHeld;
    sum.slotWaits += h.slotWaits;
  }
  return sum;
}
