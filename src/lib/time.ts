/** Date helpers shared by rules and jobs. Autotask date-times are UTC (docs/autotask-api.md#dates). */

/** Parses an Autotask date-time; a string without a zone is UTC (Autotask omits the Z at times). */
export function parseUtc(value: string): Date {
  assertRealCalendarDate(value);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasZone || value.length <= 10 ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${value}`);
  return date;
}

const ISO_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * `new Date()` rolls impossible dates over (2026-02-30 becomes 2 March) and accepts many shapes. Time we book and
 * money we date must be what was written, so only ISO dates whose day, hour, minute and second exist pass (issue 14
 * item 9).
 */
function assertRealCalendarDate(value: string): void {
  const m = ISO_PARTS.exec(value);
  if (!m) throw new RangeError(`not an ISO date: ${value.slice(0, 40)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((p) => (p === undefined ? 0 : Number(p))) as number[];
  if (!isRealDateTime(year!, month!, day!, hour!, minute!, second!)) throw new RangeError(`not a real date: ${value.slice(0, 40)}`);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when the month, day, hour, minute and second exist (no 30 February, no 24:00): what Date would not roll over. */
export function isRealDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0);
}

/** The form Autotask accepts on writes: `YYYY-MM-DDTHH:mm:ss.sssZ` in UTC. */
export function toAutotaskDateTime(date: Date): string {
  return date.toISOString();
}

/** `YYYY-MM-DD` of the UTC day. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export const MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
