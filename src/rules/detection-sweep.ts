/**
 * The baseline to beat (issue 15): the best fixed chaining rule of a small sweep. A fixed rule groups tickets whose
 * key fields are all present and equal, chaining each ticket to the previous one of its key when it came within
 * the window, and keeps chains of at least `minCount`. That is what detectProblems does with titleSimilarity 0 and
 * no Problems in the data; it is re-implemented here (one bucketing and sort per key, then every window and
 * minimum is a linear pass) so that the whole sweep runs in seconds instead of a detection run per point.
 */
import { keyValues, parseTime } from './detection-ticket.js';
import { DETECTION_KEY_FIELDS, type DetectionKeyField, type DetectionTicket } from './detection-types.js';

export const SWEEP_WINDOWS_HOURS = [0.25, 1, 4, 24, 168] as const;
export const SWEEP_MIN_COUNTS = [2, 3] as const;
const MAX_FIELDS = 3;

export interface FixedRule { keyFields: DetectionKeyField[]; windowHours: number; minCount: number }

/** Key fields worth sweeping: present on at least half the tickets and not one value for all. */
export function presentFields(tickets: readonly DetectionTicket[]): DetectionKeyField[] {
  return DETECTION_KEY_FIELDS.filter((field) => {
    const values = new Set<string | number>();
    let present = 0;
    for (const t of tickets) {
      const v = keyValues(t, [field]);
      if (v === null) continue;
      present += 1;
      if (values.size < 2) values.add(v[0]!);
    }
    return present * 2 >= tickets.length && values.size >= 2;
  });
}

function combinations<T>(items: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  const walk = (start: number, picked: T[]): void => {
    if (picked.length > 0) out.push([...picked]);
    if (picked.length === max) return;
    for (let i = start; i < items.length; i += 1) walk(i + 1, [...picked, items[i]!]);
  };
  walk(0, []);
  return out;
}

/** Groups of one fixed rule for every window and minimum, from one bucketing by `keyFields`. */
function groupsPerSetting(tickets: readonly DetectionTicket[], keyFields: DetectionKeyField[]): Map<string, number[][]> {
  const buckets = new Map<string, Array<{ id: number; time: number }>>();
  for (const t of tickets) {
    const key = keyValues(t, keyFields);
    const time = parseTime(t.createDate);
    if (key === null || time === null) continue;
    const k = key.join('\u0000');
    const list = buckets.get(k);
    if (list) list.push({ id: t.id, time });
    else buckets.set(k, [{ id: t.id, time }]);
  }
  const result = new Map<string, number[][]>();
  for (const windowHours of SWEEP_WINDOWS_HOURS) {
    const windowMs = windowHours * 3_600_000;
    const chains: number[][] = [];
    for (const list of buckets.values()) {
      if (list.length < 2) continue;
      list.sort((a, b) => a.time - b.time || a.id - b.id);
      let chain = [list[0]!.id];
      for (let i = 1; i < list.length; i += 1) {
        if (list[i]!.time - list[i - 1]!.time <= windowMs) chain.push(list[i]!.id);
        else { if (chain.length >= 2) chains.push(chain); chain = [list[i]!.id]; }
      }
      if (chain.length >= 2) chains.push(chain);
    }
    for (const minCount of SWEEP_MIN_COUNTS) result.set(`${windowHours}|${minCount}`, chains.filter((c) => c.length >= minCount));
  }
  return result;
}

/** Every rule of the sweep with its groups, for the caller to score; `rules` says how many there were. */
export function* sweepFixedRules(tickets: readonly DetectionTicket[]): Generator<{ rule: FixedRule; groups: number[][] }> {
  for (const keyFields of combinations(presentFields(tickets), MAX_FIELDS)) {
    for (const [setting, groups] of groupsPerSetting(tickets, keyFields)) {
      const [windowHours, minCount] = setting.split('|').map(Number) as [number, number];
      yield { rule: { keyFields, windowHours, minCount }, groups };
    }
  }
}

export function describeRule(rule: FixedRule): string {
  const window = rule.windowHours < 1 ? `${rule.windowHours * 60} min` : rule.windowHours < 24 ? `${rule.windowHours} h` : `${rule.windowHours / 24} d`;
  return `${rule.keyFields.join('+')} within ${window}, at least ${rule.minCount}`;
}
