/**
 * The time-entry input of `push-time-entries` (docs/contract.md#time-entry-input): the job data
 * format, also what a stopped stopwatch enqueues. Parsing is pure, so the schema lives with the rules; the job
 * and the HTTP routes use it to name the bad field (INTERFACE: "a clear error that names the field").
 */
import { z } from 'zod';
import { parseUtc } from '../lib/time.js';

export interface TimeEntryInput {
  /** The caller's stable id for this piece of work; the same key is never pushed twice. */
  key: string;
  ticketId: number;
  resourceId: number;
  /** null: the role Autotask accepts for this resource on this ticket (see resolveRole in time-entry.ts). */
  roleId: number | null;
  startDateTime: string;
  endDateTime: string;
  /** null: the whole interval; a stopwatch passes its paused-out total. */
  workedSeconds: number | null;
  summaryNotes: string;
  internalNotes: string | null;
}

/** An ISO instant; a value without a zone is UTC (docs/autotask-api.md#dates). Normalised to `…sssZ`. */
const instant = z.string().transform((value, ctx) => {
  try {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) throw new RangeError('shape');
    return parseUtc(value).toISOString();
  } catch {
    ctx.addIssue({ code: 'custom', message: `not an ISO date-time: ${JSON.stringify(value).slice(0, 40)}` });
    return z.NEVER;
  }
});

const positiveId = z.number().int().positive();
export const NOTES_MAX = 8000;

export const timeEntryInputSchema = z.strictObject({
  key: z.string().trim().min(1).max(200),
  ticketId: positiveId,
  resourceId: positiveId,
  roleId: positiveId.nullable().default(null),
  startDateTime: instant,
  endDateTime: instant,
  workedSeconds: z.number().finite().nonnegative().nullable().default(null),
  // The field lengths of TimeEntries notes (entityInformation/fields); a longer value is an HTTP 500 at create.
  summaryNotes: z.string().max(NOTES_MAX).default(''),
  internalNotes: z.string().max(NOTES_MAX).nullable().default(null),
});

/** Job data of `push-time-entries`. 500 entries keeps one job well inside Autotask's 5-minute server limit. */
export const timeEntriesJobDataSchema = z.strictObject({
  entries: z.array(timeEntryInputSchema).min(1).max(500),
});
export type TimeEntriesJobData = z.infer<typeof timeEntriesJobDataSchema>;

/**
 * A stable fingerprint of an entry's content (fields in a fixed order, instants normalised). The ledger stores it
 * with the key so a key re-used for different work can be reported instead of silently skipped.
 */
export function entryFingerprint(entry: TimeEntryInput): string {
  const norm = (value: string): string => {
    try {
      return parseUtc(value).toISOString();
    } catch {
      return value;
    }
  };
  return JSON.stringify([entry.ticketId, entry.resourceId, entry.roleId, norm(entry.startDateTime),
    norm(entry.endDateTime), entry.workedSeconds, entry.summaryNotes, entry.internalNotes]);
}
