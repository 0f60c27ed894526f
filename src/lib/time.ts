/** Date helpers shared by rules and jobs. Autotask date-times are UTC (API-NOTES "All date-times are UTC"). */

/** Parses an Autotask date-time; a string without a zone is UTC (Autotask omits the Z at times). */
export function parseUtc(value: string): Date {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasZone || value.length <= 10 ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${value}`);
  return date;
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
